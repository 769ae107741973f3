"""Alembic migrations of the Sunbae schema, run by `Store` on open (upgrade to head)."""
