(match_arm
  pattern: (match_pattern (tuple_struct_pattern type: (identifier) @e (#eq? @e "Err")))
  value: (block) @body) @match
