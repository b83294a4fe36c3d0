(program (function_declaration
  name: (identifier) @match
  parameters: (formal_parameters) @params
  body: (statement_block . [(return_statement (call_expression function: (identifier) @callee arguments: (arguments) @args))
                            (expression_statement (call_expression function: (identifier) @callee arguments: (arguments) @args))] .)) @body)
(program (export_statement (function_declaration
  name: (identifier) @match
  parameters: (formal_parameters) @params
  body: (statement_block . [(return_statement (call_expression function: (identifier) @callee arguments: (arguments) @args))
                            (expression_statement (call_expression function: (identifier) @callee arguments: (arguments) @args))] .)) @body))
(program (lexical_declaration (variable_declarator
  name: (identifier) @match
  value: (arrow_function parameters: (formal_parameters) @params
                         body: (call_expression function: (identifier) @callee arguments: (arguments) @args)) @body)))
