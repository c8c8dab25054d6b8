"""Two-level grouping: near-duplicates (same text) and events (same story)."""
