; an interface and its methods; a type implements it when its methods include them all. Types of
; other modules (`*http.Client`, `*sql.DB`) satisfy interfaces too, so none is never-implemented.
(type_spec name: (type_identifier) @define-structural type: (interface_type (method_elem name: (field_identifier) @method)))
; an interface that embeds another, or a type set: its method set is not all in view
(type_spec name: (type_identifier) @exempt type: (interface_type (type_elem)))
(method_declaration
  receiver: (parameter_list (parameter_declaration
    type: [(type_identifier) @receiver (pointer_type (type_identifier) @receiver)
           (generic_type type: (type_identifier) @receiver) (pointer_type (generic_type type: (type_identifier) @receiver))]))
  name: (field_identifier) @method)
