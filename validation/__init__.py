"""Validation: pandera schemas, reconciliation with control totals, the findings report."""
