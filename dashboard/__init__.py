"""The Streamlit adapter: cached loaders, shared filters, page furniture. Pages import from here."""
