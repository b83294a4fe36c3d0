(source_file (function_item
  name: (identifier) @match
  parameters: (parameters) @params
  body: (block . [(call_expression function: (_) @callee arguments: (arguments) @args)
                  (expression_statement (call_expression function: (_) @callee arguments: (arguments) @args))] .)) @body)
(mod_item body: (declaration_list (function_item
  name: (identifier) @match
  parameters: (parameters) @params
  body: (block . [(call_expression function: (_) @callee arguments: (arguments) @args)
                  (expression_statement (call_expression function: (_) @callee arguments: (arguments) @args))] .)) @body))

; the same function under a doc comment or an attribute, which the check reads (a deprecated alias,
; a platform variant)
(source_file [(line_comment) (block_comment) (attribute_item)]+ @doc .
  (function_item
  name: (identifier) @match
  parameters: (parameters) @params
  body: (block . [(call_expression function: (_) @callee arguments: (arguments) @args)
                  (expression_statement (call_expression function: (_) @callee arguments: (arguments) @args))] .)) @body)
