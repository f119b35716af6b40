"""Downloads: CSV/XLSX/JSON tables, IATI XML, the template and the annotated copy of an upload. Every cell inert."""
