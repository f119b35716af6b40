"""The command line (python -m cli): validate, publish, export, list and restore versions."""
