"""Platform adapters: translate payloads to `Incoming` and render `Reply`; no business rules."""
