(macro_invocation macro: (identifier) @m (#any-of? @m "println" "print" "eprintln" "eprint" "dbg")) @match
