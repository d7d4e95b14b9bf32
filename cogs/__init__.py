"""Discord features, one module per feature. Cogs stay thin: parse, call the core, render."""
