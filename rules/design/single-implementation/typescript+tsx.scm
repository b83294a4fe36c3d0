(abstract_class_declaration name: (type_identifier) @define-structural)
(export_statement (abstract_class_declaration name: (type_identifier) @define-structural) @public)
; TypeScript types are structural: an object of the right shape satisfies an interface or an
; abstract class without naming it (and most interfaces describe data)
(interface_declaration name: (type_identifier) @define-structural)
(export_statement (interface_declaration name: (type_identifier) @define-structural) @public)
(_ name: (type_identifier) @implementor
  (class_heritage (implements_clause [(type_identifier) @implement (generic_type name: (type_identifier) @implement)
                                      (nested_type_identifier name: (type_identifier) @implement)])))
(_ name: (type_identifier) @implementor
  (class_heritage (extends_clause value: [(identifier) @implement (member_expression property: (property_identifier) @implement)])))
(variable_declarator name: (identifier) @implementor
  type: (type_annotation [(type_identifier) @implement-literal (generic_type name: (type_identifier) @implement-literal)])
  value: (object))
