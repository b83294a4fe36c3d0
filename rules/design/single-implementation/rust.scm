(trait_item name: (type_identifier) @define)
(trait_item (visibility_modifier) @public name: (type_identifier) @define)
; marker traits (an empty body) and extension traits are not abstractions to judge
(trait_item name: (type_identifier) @exempt body: (declaration_list) @body (#match? @body "^\\{\\s*\\}$"))
(trait_item name: (type_identifier) @exempt (#match? @exempt "Ext$"))
; the types the repository defines: a trait implemented once, for any other type, extends that type
(struct_item name: (type_identifier) @local-type)
(enum_item name: (type_identifier) @local-type)
(union_item name: (type_identifier) @local-type)
; a trait implemented for a standard type (`impl OptionExt for Option<&User>`) is an extension trait
(impl_item
  trait: [(type_identifier) @exempt (scoped_type_identifier name: (type_identifier) @exempt) (generic_type type: (type_identifier) @exempt)]
  type: [(type_identifier) @std
         (generic_type type: (type_identifier) @std)
         (reference_type type: [(type_identifier) @std (generic_type type: (type_identifier) @std)])]
  (#any-of? @std "Option" "Result" "Vec" "String" "Box" "Rc" "Arc" "HashMap" "HashSet" "BTreeMap" "BTreeSet"
                 "VecDeque" "Cow" "Path" "PathBuf" "OsStr" "OsString" "Duration" "Instant" "SystemTime" "str"))
(impl_item trait: [(type_identifier) @exempt (scoped_type_identifier name: (type_identifier) @exempt)] type: (primitive_type))
(impl_item trait: [(type_identifier) @exempt (scoped_type_identifier name: (type_identifier) @exempt)]
  type: (reference_type type: (primitive_type)))
; a blanket impl (`impl<T: Bound> Trait for T`) implements the trait for every type
(impl_item
  type_parameters: (type_parameters)
  trait: [(type_identifier) @exempt (scoped_type_identifier name: (type_identifier) @exempt) (generic_type type: (type_identifier) @exempt)]
  type: [(type_identifier) @t (reference_type type: (type_identifier) @t)]
  (#match? @t "^[A-Z]$"))
(impl_item
  trait: [(type_identifier) @implement
          (scoped_type_identifier name: (type_identifier) @implement)
          (generic_type type: [(type_identifier) @implement (scoped_type_identifier name: (type_identifier) @implement)])]
  type: (_) @implementor)
