"""Reading and normalising: allocation workbooks, CSV, IATI XML and the EUTF public files, into typed tables."""
