(invocation_expression
  function: (member_access_expression expression: (identifier) @c name: (identifier) @m)
  (#eq? @c "Console") (#any-of? @m "WriteLine" "Write")) @match
