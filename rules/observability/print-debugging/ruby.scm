(call !receiver method: (identifier) @m (#any-of? @m "puts" "p" "pp" "print")) @match
