"""Alembic migrations of the store (the same scripts for SQLite and PostgreSQL)."""
