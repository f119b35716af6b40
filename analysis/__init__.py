"""Analysis of validated datasets: filtering, aggregates, comparisons, diffs, time series. Pure pandas."""
