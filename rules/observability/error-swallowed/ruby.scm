(rescue !exceptions !body) @match
(rescue exceptions: (exceptions (constant) @kind) !body (#any-of? @kind "Exception" "StandardError")) @match
