(try_statement body: (statement_block) @try handler: (catch_clause body: (statement_block) @body) @match)
