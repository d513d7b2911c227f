"""Pure domain logic: no Reflex, no UI, no database sessions."""
