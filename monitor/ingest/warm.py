"""Imported by the forkserver before it forks extraction workers (see monitor.ingest.workers):
the forkserver imports a page job's modules (the storing side too: sqlite_utils, the figures) and
warms trafilatura once, then freezes that heap; every worker inherits it instead of paying the
imports on its first page."""
import monitor.ingest.articles  # noqa: F401  (imported for the workers; see the docstring)
from monitor.ingest.extract import warm_up
from monitor.processes import freeze_heap

warm_up()
freeze_heap()
