"""Ingestion: fetch feeds politely, parse them, fetch and extract new articles, store them whole."""
