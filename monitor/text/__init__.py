"""Text normalization shared by matching and search."""
