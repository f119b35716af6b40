"""Pure plotly figure builders and the edge formatting of money and dates."""
