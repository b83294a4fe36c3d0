(method_invocation
  object: (field_access object: (identifier) @s field: (identifier) @o)
  name: (identifier) @m
  (#eq? @s "System") (#any-of? @o "out" "err") (#any-of? @m "println" "print" "printf")) @match
(method_invocation name: (identifier) @m (#eq? @m "printStackTrace")) @match
