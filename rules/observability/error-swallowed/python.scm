(try_statement body: (block) @try
  (except_clause . (block . (pass_statement) .)) @match)
(try_statement body: (block) @try
  (except_clause . [(identifier) @kind (attribute attribute: (identifier) @kind) (as_pattern (identifier) @kind)]
    (block . (pass_statement) .))
  @match
  (#any-of? @kind "Exception" "BaseException"))
; the same handlers in a `try` with an `else` branch, which runs only on success: the check excuses them
(try_statement body: (block) @try
  (except_clause . (block . (pass_statement) .)) @match
  (else_clause) @else)
(try_statement body: (block) @try
  (except_clause . [(identifier) @kind (attribute attribute: (identifier) @kind) (as_pattern (identifier) @kind)]
    (block . (pass_statement) .))
  @match
  (else_clause) @else
  (#any-of? @kind "Exception" "BaseException"))
