"""Entry point the poller calls after storing articles: assign every unassigned article."""
from __future__ import annotations

from sqlite_utils import Database

from monitor.cluster_settings import ClusterSettings
from monitor.models import Assignment


def assign_pending(db: Database, settings: ClusterSettings) -> list[Assignment]:
    """Assign every stored article without an assignments row; idempotent.

    Placeholder while the clusterer lands: assigns nothing yet.
    """
    return []
