(try_statement body: (block) @try (catch_clause body: (block) @body) @match (#match? @match "^catch\\s*\\{"))
(try_statement body: (block) @try
  (catch_clause (catch_declaration type: (identifier) @kind) body: (block) @body) @match
  (#eq? @kind "Exception"))
