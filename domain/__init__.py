"""The bottom layer: reference data, template columns, domain types, findings, formats. Imports no other layer."""
