(if_statement
  condition: (binary_expression left: (identifier) @err right: (nil))
  consequence: (block) @body
  (#eq? @err "err")) @match
