"""Search: query analysis and ranking as pure code; the store executes the plans."""
