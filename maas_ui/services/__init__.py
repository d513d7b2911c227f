"""Queries and commands over the database: Session in, plain dataclasses out. No Reflex."""
