(program (function_declaration
  name: (identifier) @match
  parameters: (formal_parameters) @params
  !return_type
  body: (statement_block . [(return_statement (call_expression function: (identifier) @callee !type_arguments arguments: (arguments) @args))
                            (expression_statement (call_expression function: (identifier) @callee !type_arguments arguments: (arguments) @args))] .)) @body)
(program (export_statement (function_declaration
  name: (identifier) @match
  parameters: (formal_parameters) @params
  !return_type
  body: (statement_block . [(return_statement (call_expression function: (identifier) @callee !type_arguments arguments: (arguments) @args))
                            (expression_statement (call_expression function: (identifier) @callee !type_arguments arguments: (arguments) @args))] .)) @body))
(program (lexical_declaration (variable_declarator
  name: (identifier) @match
  value: (arrow_function parameters: (formal_parameters) @params !return_type
                         body: (call_expression function: (identifier) @callee !type_arguments arguments: (arguments) @args)) @body)))
