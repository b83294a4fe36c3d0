; Kernel's printers. A call with a block is not one (Phlex's `p(class: "lead") { ... }` builds a
; paragraph): Kernel#p ignores a block.
(call !receiver !block method: (identifier) @m (#any-of? @m "puts" "p" "pp" "print")) @match
