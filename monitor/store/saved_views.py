"""Saved views: a named search plus filters, saved from the dashboard, exported by `monitor export --view`.

The time window is kept as typed ("24h", "7d" or an ISO date) and turned into an instant when the view
is used, so "the last 24 hours" stays the last 24 hours.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from monitor.errors import MonitorError
from monitor.store import views
from monitor.store.db import write_transaction
from monitor.text.search_query import parse_query
from monitor.timeutil import from_iso, now_iso, to_iso


class SavedViewError(MonitorError, ValueError):
    """A view that cannot be saved or found; the message is one line."""


@dataclass(frozen=True)
class SavedView:
    name: str
    query: str | None = None  # the search syntax of monitor.text.search_query
    state: str = "active"  # one of views.STATES
    tag: str | None = None
    feed: str | None = None  # feed name
    feed_tag: str | None = None  # a tag of feeds in feeds.toml
    since: str | None = None  # "24h", "7d" or an ISO date


def since_instant(window: str | None, now: datetime | None = None) -> str | None:
    """"24h" or "7d" (that far back from now) or an ISO date -> ISO instant; SavedViewError otherwise."""
    if not window:
        return None
    try:
        return views.since_iso(window, now)
    except ValueError as exc:
        text = window.strip()
        if text[:1].isdigit() and text[-1:] in "smhd0123456789" and "-" not in text:
            raise SavedViewError(f"since: {exc}") from None  # a window, but not a usable one
    moment = from_iso(window)
    if moment is None:
        raise SavedViewError("since: expected a window such as 24h or 7d, or an ISO date such as 2026-11-01")
    return to_iso(moment)


def view_filter(view: SavedView, now: datetime | None = None) -> views.ClusterFilter:
    """The cluster filter a saved view stands for, its window measured from now."""
    return views.ClusterFilter(state=view.state, tag=view.tag, feed=view.feed, feed_tag=view.feed_tag,
                               since=since_instant(view.since, now), query=view.query or None)


def _check(view: SavedView) -> SavedView:
    name = " ".join(view.name.split())
    if not name:
        raise SavedViewError("a saved view needs a name")
    if view.state not in views.STATES:
        raise SavedViewError(f"state: expected one of {', '.join(views.STATES)}, got {view.state!r}")
    if view.query:
        parse_query(view.query)  # QuerySyntaxError (a ValueError) names the problem
    since_instant(view.since)
    blank = lambda v: (v.strip() or None) if v else None  # noqa: E731
    return SavedView(name=name, query=blank(view.query), state=view.state, tag=blank(view.tag),
                     feed=blank(view.feed), feed_tag=blank(view.feed_tag), since=blank(view.since))


def save_view(db: Database, view: SavedView) -> SavedView:
    """Save (or replace, by name, case-insensitively) a view; returns it as stored."""
    view = _check(view)
    stamp = now_iso()
    with write_transaction(db):
        db.conn.execute("""
            INSERT INTO saved_views (name, query, state, tag, feed, feed_tag, since, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(name) DO UPDATE SET name = excluded.name, query = excluded.query, state = excluded.state,
                tag = excluded.tag, feed = excluded.feed, feed_tag = excluded.feed_tag, since = excluded.since,
                updated_at = excluded.updated_at""",
                        [view.name, view.query, view.state, view.tag, view.feed, view.feed_tag, view.since,
                         stamp, stamp])
    return view


_SELECT = "SELECT name, query, state, tag, feed, feed_tag, since FROM saved_views"


def list_saved_views(db: Database) -> list[SavedView]:
    return [SavedView(*row) for row in db.conn.execute(f"{_SELECT} ORDER BY name COLLATE NOCASE")]


def get_saved_view(db: Database, name: str) -> SavedView | None:
    row = db.conn.execute(f"{_SELECT} WHERE name = ?", [" ".join(name.split())]).fetchone()
    return SavedView(*row) if row else None


def delete_saved_view(db: Database, name: str) -> None:
    """Delete a view by name; SavedViewError when there is none."""
    with write_transaction(db):
        if not db.conn.execute("DELETE FROM saved_views WHERE name = ?", [" ".join(name.split())]).rowcount:
            raise SavedViewError(f"no saved view named {name!r}")
