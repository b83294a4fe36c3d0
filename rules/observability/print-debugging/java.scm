(method_invocation
  object: (field_access object: (identifier) @s field: (identifier) @o)
  name: (identifier) @m
  (#eq? @s "System") (#any-of? @o "out" "err") (#any-of? @m "println" "print" "printf")) @match
;; `printStackTrace()` prints to the console; `printStackTrace(writer)` writes into a writer the
;; code then uses (building a stack-trace string), which is not console output.
(method_invocation name: (identifier) @m arguments: (argument_list . ")") (#eq? @m "printStackTrace")) @match
