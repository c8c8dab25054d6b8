"""Imported by the forkserver before it forks extraction workers (see monitor.ingest.workers):
the forkserver warms trafilatura once and every worker inherits the warm state."""
from monitor.ingest.extract import warm_up

warm_up()
