"""View models: what each page shows (tables, figures, texts), computed from the filtered data. No Streamlit."""
