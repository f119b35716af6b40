"""One module per schema revision, applied in order by :func:`store.db.upgrade`."""
