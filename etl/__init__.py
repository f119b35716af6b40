"""ETL: read allocation files, normalize them, derive the long tables. No Streamlit here."""
