(source_file (function_declaration
  name: (identifier) @match
  parameters: (parameter_list) @params
  body: (block (statement_list . [(return_statement (expression_list (call_expression function: (_) @callee arguments: (argument_list) @args)))
                                  (expression_statement (call_expression function: (_) @callee arguments: (argument_list) @args))] .))) @body)

; the same function under a doc comment or an attribute, which the check reads (a deprecated alias,
; a platform variant)
(source_file (comment)+ @doc .
  (function_declaration
  name: (identifier) @match
  parameters: (parameter_list) @params
  body: (block (statement_list . [(return_statement (expression_list (call_expression function: (_) @callee arguments: (argument_list) @args)))
                                  (expression_statement (call_expression function: (_) @callee arguments: (argument_list) @args))] .))) @body)
