(interface_declaration name: (identifier) @define)
(interface_declaration (modifier) @public name: (identifier) @define (#eq? @public "public"))
; an abstract class is an abstraction when it declares an abstract or virtual member
(class_declaration (modifier) @m name: (identifier) @define
  body: (declaration_list [(method_declaration (modifier) @am) (property_declaration (modifier) @am)])
  (#eq? @m "abstract") (#any-of? @am "abstract" "virtual"))
(class_declaration (modifier) @public (modifier) @m name: (identifier) @define
  body: (declaration_list [(method_declaration (modifier) @am) (property_declaration (modifier) @am)])
  (#eq? @public "public") (#eq? @m "abstract") (#any-of? @am "abstract" "virtual"))
; extended interfaces and interfaces whose methods carry attributes (Refit clients) are proxied
(interface_declaration name: (identifier) @define-structural (base_list))
(interface_declaration name: (identifier) @define-structural body: (declaration_list (method_declaration (attribute_list))))
(_ name: (identifier) @implementor
  (base_list [(identifier) @implement (generic_name (identifier) @implement) (qualified_name name: (identifier) @implement)
              (qualified_name name: (generic_name (identifier) @implement))]))
