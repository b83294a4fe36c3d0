(call_expression
  function: (member_expression object: (identifier) @o property: (property_identifier) @p)
  (#eq? @o "console") (#any-of? @p "log" "trace" "dir")) @match
