(try_statement body: (block) @try
  (catch_clause (catch_formal_parameter (catch_type (type_identifier) @kind)) body: (block) @body) @match
  (#any-of? @kind "Exception" "Throwable" "RuntimeException"))
