(interface_declaration name: (identifier) @define)
(interface_declaration (modifiers "public") @public name: (identifier) @define)
; an abstract class is an abstraction when it declares an abstract method (not a holder of constants)
(class_declaration (modifiers "abstract") name: (identifier) @define
  body: (class_body (method_declaration (modifiers "abstract"))))
(class_declaration (modifiers "public" "abstract") @public name: (identifier) @define
  body: (class_body (method_declaration (modifiers "abstract"))))
; one method: lambdas and method references implement it unseen
(interface_declaration name: (identifier) @exempt body: (interface_body . (method_declaration) .))
(interface_declaration name: (identifier) @exempt
  body: (interface_body . [(block_comment) (line_comment)] . (method_declaration) .))
(interface_declaration name: (identifier) @exempt
  body: (interface_body . [(block_comment) (line_comment)] . [(block_comment) (line_comment)] . (method_declaration) .))
; proxies the framework generates (Spring Data repositories, Feign and Retrofit clients, mappers)
(interface_declaration name: (identifier) @define-structural (extends_interfaces))
(interface_declaration (modifiers [(annotation) (marker_annotation)]) name: (identifier) @define-structural)
(interface_declaration name: (identifier) @define-structural
  body: (interface_body (method_declaration (modifiers [(annotation) (marker_annotation)]))))
(_ name: (identifier) @implementor
  interfaces: (super_interfaces (type_list [(type_identifier) @implement (generic_type (type_identifier) @implement)
                                            (scoped_type_identifier (type_identifier) @implement .)])))
(class_declaration name: (identifier) @implementor
  superclass: (superclass [(type_identifier) @implement (generic_type (type_identifier) @implement)]))
(interface_declaration name: (identifier) @implementor
  (extends_interfaces (type_list [(type_identifier) @implement (generic_type (type_identifier) @implement)])))
(object_creation_expression type: [(type_identifier) @implement (generic_type (type_identifier) @implement)] (class_body))
