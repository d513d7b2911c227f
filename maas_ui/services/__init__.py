"""Services: a sqlmodel Session in, plain dataclasses out. No Reflex import."""
