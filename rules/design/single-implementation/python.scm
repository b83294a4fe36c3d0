(class_definition name: (identifier) @define
  superclasses: (argument_list [(identifier) @base (attribute attribute: (identifier) @base)])
  (#eq? @base "ABC"))
(class_definition name: (identifier) @define
  superclasses: (argument_list (keyword_argument name: (identifier) @k value: [(identifier) @m (attribute attribute: (identifier) @m)]))
  (#eq? @k "metaclass") (#eq? @m "ABCMeta"))
; a method whose whole body (after a docstring) raises NotImplementedError is abstract; one that
; raises it after some logic ("unknown discount type") or in a branch is not
(class_definition name: (identifier) @define
  body: (block (function_definition body: (block . (raise_statement [(identifier) @e (call function: (identifier) @e)]) .)))
  (#eq? @e "NotImplementedError"))
(class_definition name: (identifier) @define
  body: (block (function_definition body: (block . (expression_statement (string)) . (raise_statement [(identifier) @e (call function: (identifier) @e)]) .)))
  (#eq? @e "NotImplementedError"))
(class_definition name: (identifier) @define
  body: (block (decorated_definition definition: (function_definition body: (block . (raise_statement [(identifier) @e (call function: (identifier) @e)]) .))))
  (#eq? @e "NotImplementedError"))
(class_definition name: (identifier) @define
  body: (block (decorated_definition definition: (function_definition body: (block . (expression_statement (string)) . (raise_statement [(identifier) @e (call function: (identifier) @e)]) .))))
  (#eq? @e "NotImplementedError"))
; a class that is instantiated is concrete (a method that raises NotImplementedError there marks an
; unsupported operation, not an abstract one)
(call function: [(identifier) @exempt (attribute attribute: (identifier) @exempt)] (#match? @exempt "^[A-Z]"))
; a Protocol is satisfied without being named
(class_definition name: (identifier) @define-structural
  superclasses: (argument_list [(identifier) @base (attribute attribute: (identifier) @base)
                                (subscript value: [(identifier) @base (attribute attribute: (identifier) @base)])])
  (#eq? @base "Protocol"))
(class_definition name: (identifier) @implementor
  superclasses: (argument_list [(identifier) @implement (attribute attribute: (identifier) @implement)
                                (subscript value: [(identifier) @implement (attribute attribute: (identifier) @implement)])]))
