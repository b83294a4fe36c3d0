(call_expression
  function: (selector_expression operand: (identifier) @pkg field: (field_identifier) @f)
  (#eq? @pkg "fmt") (#any-of? @f "Println" "Printf" "Print")) @match
(call_expression function: (identifier) @f (#any-of? @f "println" "print")) @match
