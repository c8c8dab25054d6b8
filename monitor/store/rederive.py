"""Articles whose stored features (terms, identity, embedding, figures) an older rule made: found,
counted and rewritten (all SQL for it; the figures themselves are written by store/figures.py).

The mark (meta `rederive_below`) is the article id below which stale rows may remain; it is set
above every stored article when the rules the database was last checked against (meta
`feature_rules`) differ from the running code's, and lowered slice by slice, newest first. Only
feature rows change: assignments, clusters and every analyst decision are left as they are.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable

import orjson
from sqlite_utils import Database

from monitor.store.clusters import document_count
from monitor.store.db import IN_LIST, as_list, meta_value, set_meta
from monitor.store.identity import ArticleSource

MARK = "rederive_below"
SIGNATURE = "feature_rules"


@dataclass(frozen=True)
class FeatureRules:
    """The versions of the rules the running code derives features by."""

    terms: int
    identity: int
    embedding: str
    figures: int | None  # None: figures are not read (MONITOR_FIGURES=off), so none is stale

    @property
    def signature(self) -> str:
        return f"terms {self.terms}; identity {self.identity}; embedding {self.embedding}; figures {self.figures}"


@dataclass(frozen=True)
class StaleArticle:
    """An article with a derivation of an older rule, and which of them are."""

    source: ArticleSource
    content_hash: str  # of the text read: figures are recorded as read from it
    vectors: bool  # its terms, identity or embedding
    figures: bool


@dataclass(frozen=True)
class StoredFeatures:
    """An article's stored row, read inside the write that replaces it."""

    article_id: int
    terms: tuple[str, ...]  # the terms counted in the document frequencies
    emb: bytes | None
    emb_current: bool  # the stored vector is the running model's


# A row is stale when any of its derivations is older than the running rule (a missing identity or
# figures record too).
_VECTORS_STALE = "(v.terms_rule != ? OR (v.emb IS NOT NULL AND v.emb_rule IS NOT ?) OR i.rule IS NOT ?)"
_FIGURES_STALE = "(? IS NOT NULL AND r.rule IS NOT ?)"
_STALE = f"({_VECTORS_STALE} OR {_FIGURES_STALE})"
_FROM = ("cluster_vectors v LEFT JOIN article_identity i ON i.article_id = v.article_id "
         "LEFT JOIN figures_read r ON r.article_id = v.article_id")


def _vector_params(rules: FeatureRules) -> list:
    return [rules.terms, rules.embedding, rules.identity]


def _figure_params(rules: FeatureRules) -> list:
    return [rules.figures, rules.figures]


def _params(rules: FeatureRules) -> list:
    return [*_vector_params(rules), *_figure_params(rules)]


def signature_changed(db: Database, rules: FeatureRules) -> bool:
    """Whether the database was last checked against other rules (or never)."""
    return meta_value(db, SIGNATURE) != rules.signature


def restart(db: Database, rules: FeatureRules) -> None:
    """Inside a write transaction: every stored article may be stale; walk down from the top again."""
    if signature_changed(db, rules):  # read again under the write lock: another process may have done it
        top = db.conn.execute("SELECT coalesce(max(article_id), 0) + 1 FROM cluster_vectors").fetchone()[0]
        set_meta(db, MARK, str(top))
        set_meta(db, SIGNATURE, rules.signature)


def mark(db: Database) -> int:
    """The article id below which stale rows may remain (0: none do)."""
    value = meta_value(db, MARK)
    return int(value) if value else 0


def lower_mark(db: Database, below: int) -> None:
    """Move the mark down (never up: another process may have gone further meanwhile)."""
    db.conn.execute("UPDATE meta SET value = ? WHERE key = ? AND CAST(value AS INTEGER) > ?", [str(below), MARK, below])


def stale_sources(db: Database, below: int, limit: int, rules: FeatureRules) -> list[StaleArticle]:
    """The newest articles below the mark with a stale derivation, at most `limit`."""
    return [StaleArticle(ArticleSource(*r[:4]), r[4], bool(r[5]), bool(r[6])) for r in db.conn.execute(
        f"""SELECT a.id, coalesce(a.title, ''), coalesce(a.text, ''), a.language, a.content_hash,
                   {_VECTORS_STALE}, {_FIGURES_STALE}
            FROM {_FROM} JOIN articles a ON a.id = v.article_id
            WHERE v.article_id < ? AND {_STALE} ORDER BY v.article_id DESC LIMIT ?""",
        [*_params(rules), below, *_params(rules), limit])]


def waiting(db: Database, rules: FeatureRules) -> int:
    """How many stored articles have a derivation older than the running rules. Once the database
    was checked against these rules, stale rows lie only below the mark: none to count once done."""
    if signature_changed(db, rules):
        return db.conn.execute(f"SELECT count(*) FROM {_FROM} WHERE {_STALE}", _params(rules)).fetchone()[0]
    return db.conn.execute(f"SELECT count(*) FROM {_FROM} WHERE v.article_id < ? AND {_STALE}",
                           [mark(db), *_params(rules)]).fetchone()[0]


def stale_features(db: Database, article_ids: Iterable[int], rules: FeatureRules) -> dict[int, StoredFeatures]:
    """The stored rows of those articles whose vectors or identity are still stale (another run may
    have done some)."""
    rows = db.conn.execute(
        f"""SELECT v.article_id, v.tf, v.emb, v.emb_rule IS ? FROM {_FROM}
            WHERE v.article_id IN {IN_LIST} AND {_VECTORS_STALE}""",
        [rules.embedding, as_list(article_ids), *_vector_params(rules)])
    return {aid: StoredFeatures(aid, tuple(orjson.loads(tf)), emb, bool(current)) for aid, tf, emb, current in rows}


def stale_figures(db: Database, article_ids: Iterable[int], rules: FeatureRules) -> set[int]:
    """Those articles whose figures are still of an older rule (another run may have done some)."""
    return {aid for (aid,) in db.conn.execute(
        f"SELECT v.article_id FROM {_FROM} WHERE v.article_id IN {IN_LIST} AND {_FIGURES_STALE}",
        [as_list(article_ids), *_figure_params(rules)])}


def swap_document_frequencies(db: Database, removed: Counter[str], added: Counter[str]) -> None:
    """Replace counted terms by others (the number of documents stays): an article's old-rule
    terms leave the frequencies as its new ones come in."""
    change = Counter(added)
    change.subtract(removed)
    db.conn.executemany("INSERT INTO cluster_df (term, df) VALUES (?, ?) "
                        "ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
                        sorted((t, n) for t, n in change.items() if n))
    db.conn.executemany("DELETE FROM cluster_df WHERE term = ? AND df <= 0", sorted((t,) for t, n in change.items() if n < 0))


def frequencies_of(db: Database, terms: Iterable[str]) -> tuple[dict[str, int], int]:
    """The document frequencies of these terms, and the number of documents."""
    df = dict(db.conn.execute(f"SELECT term, df FROM cluster_df WHERE term IN {IN_LIST}", [as_list(sorted(set(terms)))]))
    return df, document_count(db)


def rewrite_vectors(db: Database, rows: list[tuple]) -> None:
    """rows: (tf_json, vec_json, sketch_bytes, emb_bytes, terms_rule, emb_rule, article_id); the
    article's kind, time and assignment stay."""
    db.conn.executemany("UPDATE cluster_vectors SET tf = ?, vec = ?, sketch = ?, emb = ?, terms_rule = ?, emb_rule = ? "
                        "WHERE article_id = ?", rows)
