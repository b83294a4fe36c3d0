(call function: (identifier) @fn (#eq? @fn "print")) @match
