"""The Textual dashboard: a thin client of the core (config, store, ingest, cluster)."""
