"""Services: database reads and writes for the pages (no Reflex import)."""
