"""Event identity of articles and events: who, where, which language (all SQL for it)."""
from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

import orjson
from sqlite_utils import Database

from monitor.models import ArticleIdentity, EventIdentity, Place


def identity_row(article_id: int, identity: ArticleIdentity) -> tuple:
    places = [[p.id, p.name, p.country, p.kind, p.population] for p in identity.places]
    return (article_id, identity.language, orjson.dumps(places).decode(),
            orjson.dumps([list(n) for n in identity.names]).decode(),
            orjson.dumps(list(identity.numbers)).decode(), int(identity.old))


def save_identities(db: Database, rows: list[tuple]) -> None:
    """rows: identity_row() tuples."""
    db.conn.executemany("INSERT OR REPLACE INTO article_identity (article_id, language, places, names, numbers, old) "
                        "VALUES (?, ?, ?, ?, ?, ?)", rows)


def _identity(language: str, places: str, names: str, numbers: str, old: int) -> ArticleIdentity:
    return ArticleIdentity(language, tuple(Place(*p) for p in orjson.loads(places)),
                           tuple((k, f) for k, f in orjson.loads(names)), tuple(orjson.loads(numbers)), bool(old))


def article_identity(db: Database, article_ids: Sequence[int]) -> dict[int, ArticleIdentity]:
    """article id -> its stored identity (articles not yet clustered are absent)."""
    out: dict[int, ArticleIdentity] = {}
    ids = list(article_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for aid, *row in db.conn.execute(f"SELECT article_id, language, places, names, numbers, old "
                                         f"FROM article_identity WHERE article_id IN ({marks})", chunk):
            out[aid] = _identity(*row)
    return out


def member_identities(db: Database, cluster_ids: Iterable[int]) -> dict[int, ArticleIdentity]:
    """article id -> identity, for every member of these clusters (the engine's rebuild)."""
    ids = list(cluster_ids)
    out: dict[int, ArticleIdentity] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for aid, *row in db.conn.execute(
                f"""SELECT i.article_id, i.language, i.places, i.names, i.numbers, i.old
                    FROM assignments s JOIN article_identity i ON i.article_id = s.article_id
                    WHERE s.cluster_id IN ({marks})""", chunk):
            out[aid] = _identity(*row)
    return out


def event_identity(db: Database, cluster_id: int, limit: int = 5) -> EventIdentity:
    """The places and names an event's members name most (by how many members name each), and
    its languages: for the event brief and the dashboard."""
    places: Counter[str] = Counter()
    names: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    for identity in member_identities(db, [cluster_id]).values():
        places.update({p.name for p in identity.places})
        names.update({form for _, form in identity.names})
        if identity.language:
            languages[identity.language] += 1
    top = lambda c: tuple(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:limit])  # noqa: E731
    return EventIdentity(cluster_id, top(places), top(names), top(languages))


def articles_with_text(db: Database, article_ids: Sequence[int]) -> set[int]:
    """Which of these articles have a body beside the title (the rest are bare headlines)."""
    found: set[int] = set()
    ids = list(article_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        found.update(r[0] for r in db.conn.execute(
            f"SELECT id FROM articles WHERE id IN ({marks}) AND length(trim(text)) > 0", chunk))
    return found
