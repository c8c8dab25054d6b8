"""Event identity of articles and events: who, where, which language (all SQL for it).

An article's identity is written once, with its cluster assignment (batch_writer), or again by
the re-derivation when the identity rule changes (and for articles clustered before the table
existed: to it, a missing identity is an older rule's); events read their members'.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping

import orjson
from sqlite_utils import Database

from monitor.models import ArticleIdentity, EventIdentity, Mentioned, Place
from monitor.store.db import IN_LIST, as_list
from monitor.text.name_skeleton import person_key
from monitor.text.stem import is_cyrillic

TOP = 5  # places and names an event shows
_COLUMNS = "language, places, names, numbers, days"


@dataclass(frozen=True)
class ArticleSource:
    """What an article's derived features (identity, terms, embedding) are computed from."""

    article_id: int
    title: str
    text: str
    language: str | None  # as the page declares it


def _row(article_id: int, identity: ArticleIdentity) -> tuple[int, str, str, str, str, str]:
    places = [[p.id, p.name, p.country, p.kind, p.population] for p in identity.places]
    return (article_id, identity.language, orjson.dumps(places).decode(),
            orjson.dumps([list(n) for n in identity.names]).decode(), orjson.dumps(list(identity.numbers)).decode(),
            orjson.dumps(list(identity.days)).decode())


def _identity(language: str, places: str, names: str, numbers: str, days: str) -> ArticleIdentity:
    return ArticleIdentity(language, tuple(Place(*p) for p in orjson.loads(places)),
                           tuple((key, form) for key, form in orjson.loads(names)), tuple(orjson.loads(numbers)),
                           tuple(orjson.loads(days)))


def save_identities(db: Database, identities: Mapping[int, ArticleIdentity], *, rule: int) -> None:
    """Store (or replace) these articles' identities, made by version `rule` of the identity rule;
    inside the caller's write transaction."""
    db.conn.executemany(f"INSERT OR REPLACE INTO article_identity (article_id, {_COLUMNS}, rule) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [(*_row(aid, identity), rule) for aid, identity in identities.items()])


def article_identity(db: Database, article_ids: Iterable[int]) -> dict[int, ArticleIdentity]:
    """article id -> its stored identity (articles not clustered yet, or not re-derived yet, are absent)."""
    return {aid: _identity(*row) for aid, *row in db.conn.execute(
        f"SELECT article_id, {_COLUMNS} FROM article_identity WHERE article_id IN {IN_LIST}", [as_list(article_ids)])}


def _top(counts: Counter[str], limit: int) -> tuple[Mentioned, ...]:
    return tuple(Mentioned(name, n) for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit])


def event_identity(db: Database, cluster_id: int, limit: int = TOP) -> EventIdentity:
    """The places and names an event's members name most (counted once per member), and the
    members' languages (declared or detected)."""
    places: Counter[str] = Counter()
    people: Counter[str] = Counter()  # one person however written (person_key) -> members naming them
    forms: dict[str, Counter[str]] = {}
    languages: Counter[str] = Counter()
    rows = db.conn.execute(f"""SELECT {", ".join("i." + c for c in _COLUMNS.split(", "))}
                               FROM assignments s JOIN article_identity i ON i.article_id = s.article_id
                               WHERE s.cluster_id = ?""", [cluster_id])
    for row in rows:
        identity = _identity(*row)
        places.update({p.name for p in identity.places})
        named = {person_key(form): form for _, form in identity.names}
        people.update(named.keys())
        for person, form in named.items():
            forms.setdefault(person, Counter())[form] += 1
        if identity.language:
            languages[identity.language] += 1
    # Each person under the form most members write (ties: a Latin one, then the first in order):
    # an event reported in three languages names Syniehubov once, not as Синєгубов and Синегубов too.
    names = Counter({min(forms[p], key=lambda f: (-forms[p][f], is_cyrillic(f), f)): n for p, n in people.items()})
    return EventIdentity(_top(places, limit), _top(names, limit), _top(languages, limit))


def member_identities(db: Database, cluster_ids: Iterable[int]) -> dict[int, ArticleIdentity]:
    """article id -> identity, for every member of these clusters (the engine's rebuild)."""
    return {aid: _identity(*row) for aid, *row in db.conn.execute(
        f"""SELECT i.article_id, {", ".join("i." + c for c in _COLUMNS.split(", "))}
            FROM assignments s JOIN article_identity i ON i.article_id = s.article_id
            WHERE s.cluster_id IN {IN_LIST}""", [as_list(cluster_ids)])}


def articles_with_text(db: Database, article_ids: Iterable[int]) -> set[int]:
    """Which of these articles have a body beside the title (the rest are bare headlines)."""
    return {r[0] for r in db.conn.execute(
        f"SELECT id FROM articles WHERE id IN {IN_LIST} AND length(trim(text)) > 0", [as_list(article_ids)])}
