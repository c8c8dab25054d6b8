"""monitor: watch news coverage arrive, grouped by event, beside an existing corpus."""
__version__ = "0.1.0"
