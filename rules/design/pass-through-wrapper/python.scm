(module (function_definition
  name: (identifier) @match
  parameters: (parameters) @params
  body: (block . [(return_statement (call function: (_) @callee arguments: (argument_list) @args))
                  (expression_statement (call function: (_) @callee arguments: (argument_list) @args))] .)) @body)
(module (function_definition
  name: (identifier) @match
  parameters: (parameters) @params
  body: (block . (expression_statement (string)) .
               [(return_statement (call function: (_) @callee arguments: (argument_list) @args))
                (expression_statement (call function: (_) @callee arguments: (argument_list) @args))] .)) @body)
