"""Messages that carry worker results back to the UI thread (widgets change only in handlers)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from textual.message import Message

from monitor.store.brief import EventBrief
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
    """Members, linked corpus, notes and brief (the event pane's header) of the selected cluster."""

    cluster_id: int
    members: list[MemberRow]
    corpus: list[CorpusRow]
    notes: list[str]
    brief: EventBrief | None = None
    load: int = 0  # which load of the screen this answers: an older one may arrive last


@dataclass
class CorpusLoaded(Message):
    """The whole corpus, and the documents matching the search it was loaded for."""

    documents: list[CorpusRow]
    query: str | None = None
    matches: list[CorpusRow] = field(default_factory=list)


@dataclass
class ArticleLoaded(Message):
    detail: ArticleDetail | None
    load: int = 0  # which load of the reader this answers: an older one may arrive last


@dataclass
class StatusLoaded(Message):
    summary: StatusSummary
    failing: list[tuple[str, str]] = field(default_factory=list)
    watch_hits: int = 0  # unseen


@dataclass
class DataChanged(Message):
    """Another connection (cron, the poll worker, our own writer) committed."""


WriteScope = Literal["view", "cluster_row", "article"]


@dataclass
class DataWritten(Message):
    """Our own writer committed; sent to every screen, each refreshes what the write touched:
    `view` anything in the lists, `cluster_row` only that event's row (it was opened), `article`
    only that article (the reader marked it read)."""

    scope: WriteScope = "view"
    cluster_id: int | None = None
    article_id: int | None = None


@dataclass
class TriageDone(Message):
    message: str
    written: DataWritten


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
