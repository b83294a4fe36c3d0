; `Err(_)` or `Err(e)` with an empty arm: every error dropped. A named variant
; (`Err(VarError::NotPresent) => {}`) or a guard (`Err(e) if e.kind() == NotFound => {}`) is an
; expected case, handled.
(match_arm
  pattern: (match_pattern !condition
    (tuple_struct_pattern type: (identifier) @e . [(identifier) "_"] . (#eq? @e "Err")))
  value: (block) @body) @match
