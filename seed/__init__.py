"""Seeding: fill an empty store with the shipped public files (above the store and the validation pipeline)."""
