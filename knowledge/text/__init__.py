"""Plain-text rules shared by the knowledge core and the transports (sentences)."""
