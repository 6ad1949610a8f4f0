"""Saved pages, feeds and API answers for the data and web skill tests, plus their shared checks."""
