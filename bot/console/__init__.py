"""The terminal: `leadwell chat` over the same core and database, replies as plain text."""
