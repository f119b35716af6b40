"""The versioned store of published allocation datasets (SQLAlchemy)."""
