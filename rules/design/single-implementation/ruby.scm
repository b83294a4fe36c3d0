; a base class whose methods raise NotImplementedError
(class name: [(constant) @define (scope_resolution name: (constant) @define)]
  (body_statement (method (body_statement . (call method: (identifier) @r arguments: (argument_list [(constant) @e (call method: (identifier) @e)])) .)))
  (#eq? @r "raise") (#eq? @e "NotImplementedError"))
(class name: [(constant) @implementor (scope_resolution name: (constant) @implementor)]
  superclass: (superclass [(constant) @implement (scope_resolution name: (constant) @implement)]))
