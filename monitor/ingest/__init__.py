"""Ingestion: fetch feeds politely, parse them, fetch and extract new articles, store them whole.

Flow of one cycle (`poll_once`, used by `monitor poll` and the dashboard alike):
  lock (lock.py) -> sync feeds.toml into the feeds table -> due feeds -> for each feed:
  conditional GET (fetch.py) -> feedparser in an extraction worker (parse.py) -> items not
  yet stored -> in an extraction worker (workers.py), under the poll's per-host limits:
  page GET -> charset + trafilatura (extract.py) -> best text (articles.py) -> one short
  transaction per article -> feed state (ETag, next poll) last -> assign_pending
  (clustering) after everything is committed.

feeds.toml is the source of truth for feeds. `monitor feeds add/remove/enable/disable`
and `feeds import-opml` edit the file with tomlkit (comments and layout kept, the result
re-validated before it replaces the file); the feeds table mirrors it at every poll and
every `monitor feeds` command (store/feeds.py: sync_feeds). A feed removed from the file
keeps its row (in_config = 0) so its articles keep their source.
"""
