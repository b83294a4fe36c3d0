(try_statement body: (block) @try
  (except_clause . (block . (pass_statement) .)) @match)
(try_statement body: (block) @try
  (except_clause . [(identifier) @kind (attribute attribute: (identifier) @kind) (as_pattern (identifier) @kind)]
    (block . (pass_statement) .))
  @match
  (#any-of? @kind "Exception" "BaseException"))
