"""Messages that carry worker results back to the UI thread (widgets change only in handlers)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual.message import Message

from monitor.store.views import (ArticleDetail, ClusterFilter, ClusterRow, CorpusRow, MemberRow,
                                 StatusSummary)

if TYPE_CHECKING:  # the poller's imports would slow the dashboard's start
    from monitor.ingest.poller import PollSummary


@dataclass
class ViewLoaded(Message):
    """The ordered ids of the cluster view, with the rows around the cursor prefetched."""

    filter: ClusterFilter
    ids: list[int]
    rows: dict[int, ClusterRow]


@dataclass
class DetailLoaded(Message):
    """Members and linked corpus of the selected cluster."""

    cluster_id: int
    members: list[MemberRow]
    corpus: list[CorpusRow]
    notes: list[str]


@dataclass
class CorpusLoaded(Message):
    documents: list[CorpusRow]


@dataclass
class ArticleLoaded(Message):
    detail: ArticleDetail | None
    load: int = 0  # which load of the reader this answers: an older one may arrive last


@dataclass
class StatusLoaded(Message):
    summary: StatusSummary
    failing: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class DataChanged(Message):
    """Another connection (cron, the poll worker, our own writer) committed."""


@dataclass
class TriageDone(Message):
    message: str
    reload: bool = True
    cluster_id: int | None = None  # with reload=False: only this cluster's row changed
    then: Any = None  # with reload=False: what to refresh instead (a callable)


@dataclass
class TriageFailed(Message):
    message: str


@dataclass
class PollProgress(Message):
    event: dict[str, Any]  # what Cycle.emit sends: kind 'start' (total) or 'feed' (done, total, name, outcome)


@dataclass
class PollFinished(Message):
    summary: PollSummary | None = None
    error: str | None = None
