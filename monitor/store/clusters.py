"""Cluster rows: what the clusterer writes, what it reloads, and the analyst's corrections.

Every write bumps `meta.cluster_generation`; a clusterer holding an in-memory engine
built at an older generation rebuilds it (another process or a correction changed the
clusters meanwhile). Corrections mark assignments `method='analyst'`, which automatic
assignment never moves, and locked clusters take no automatic members.
"""
from __future__ import annotations

import json
from typing import Any, Iterable

from sqlite_utils import Database

from monitor.errors import MonitorError
from monitor.store.db import IN_LIST, as_list, dict_rows, meta_value, set_meta
from monitor.timeutil import now_iso

ARTICLE_TIME = "coalesce(a.published_at, a.fetched_at, a.created_at)"


class GenerationConflict(MonitorError):
    """Clusters changed since the engine was built; rebuild and retry."""


def _meta_int(db: Database, key: str) -> int:
    value = meta_value(db, key)
    return int(value) if value is not None else 0


def generation(db: Database) -> int:
    return _meta_int(db, "cluster_generation")


def bump_generation(db: Database) -> int:
    value = generation(db) + 1
    set_meta(db, "cluster_generation", value)
    return value


def check_generation(db: Database, expected: int) -> None:
    """Inside a write transaction: raise GenerationConflict if someone else wrote meanwhile."""
    if generation(db) != expected:
        raise GenerationConflict()


# -- reads the engine is rebuilt from -----------------------------------------------------
def document_frequencies(db: Database) -> tuple[dict[str, int], int]:
    df = dict(db.conn.execute("SELECT term, df FROM cluster_df"))
    return df, document_count(db)


def document_count(db: Database) -> int:
    """How many documents the document frequencies count."""
    return _meta_int(db, "cluster_docs")


def max_time(db: Database) -> float | None:
    row = db.conn.execute("SELECT max(at) FROM cluster_vectors WHERE kind = 'event'").fetchone()
    return row[0] if row else None


def active_clusters(db: Database, since_iso: str | None) -> list[dict[str, Any]]:
    """Live clusters the engine needs: corpus clusters, and event clusters seen since the cut."""
    sql = """SELECT c.id, c.kind, c.locked, c.last_seen,
                    EXISTS (SELECT 1 FROM assignments s WHERE s.cluster_id = c.id AND s.method = 'analyst') AS pinned
             FROM clusters c WHERE c.merged_into IS NULL AND c.size > 0
               AND (c.kind = 'corpus' OR ? IS NULL OR c.last_seen >= ?) ORDER BY c.id"""
    return dict_rows(db.conn.execute(sql, [since_iso, since_iso]))


def member_vectors(db: Database, cluster_ids: Iterable[int]) -> Iterable[tuple]:
    """(cluster_id, article_id, kind, at, tf, vec, sketch, emb) of the members, by article id."""
    yield from db.conn.execute(
        f"""SELECT s.cluster_id, v.article_id, v.kind, v.at, v.tf, v.vec, v.sketch, v.emb
            FROM assignments s JOIN cluster_vectors v ON v.article_id = s.article_id
            WHERE s.cluster_id IN {IN_LIST} AND s.proposed = 0 ORDER BY v.article_id""", [as_list(cluster_ids)])


def corpus_vectors(db: Database) -> list[tuple]:
    """(article_id, tf, emb) of every corpus document, for linking."""
    return db.conn.execute("SELECT article_id, tf, emb FROM cluster_vectors WHERE kind = 'corpus' "
                           "ORDER BY article_id").fetchall()


def corpus_dates(db: Database) -> dict[int, str]:
    """article_id -> the publication time of every corpus document that states one."""
    return dict(db.conn.execute("SELECT id, published_at FROM articles WHERE origin = 'corpus' "
                                "AND published_at IS NOT NULL").fetchall())


def max_cluster_id(db: Database) -> int:
    return db.conn.execute("SELECT coalesce(max(id), 0) FROM clusters").fetchone()[0]


def pending_articles(db: Database, limit: int, *, after: int | None = None) -> list[dict[str, Any]]:
    """Articles not yet seen by the clusterer (no vector row), oldest id first, with any kept assignment.

    Articles are clustered in id order, so those with vectors form a prefix: the search starts
    after the last vector (constant cost however large the table), and only when that finds
    nothing does it check the whole table once. `after` reads further on (the next batch).
    """
    def after_id(start: int) -> list[dict[str, Any]]:
        return dict_rows(db.conn.execute(
            f"""SELECT a.id, a.origin, a.title, a.text, a.language, {ARTICLE_TIME} AS at, s.cluster_id AS kept_cluster
                FROM articles a LEFT JOIN assignments s ON s.article_id = a.id
                WHERE a.id > ? AND NOT EXISTS (SELECT 1 FROM cluster_vectors v WHERE v.article_id = a.id)
                ORDER BY a.id LIMIT ?""", [start, limit]))

    if after is not None:
        return after_id(after)
    last = db.conn.execute("SELECT coalesce(max(article_id), 0) FROM cluster_vectors").fetchone()[0]
    return after_id(last) or (after_id(0) if last else [])


def has_pending(db: Database) -> bool:
    """Whether any article waits for the clusterer (a poll killed while clustering leaves some)."""
    return bool(pending_articles(db, 1))


def article_texts(db: Database, article_id: int) -> tuple[str, str]:
    row = db.conn.execute("SELECT title, text FROM articles WHERE id = ?", [article_id]).fetchone()
    return (row[0], row[1]) if row else ("", "")


def cluster_flags(db: Database, cluster_id: int) -> dict[str, Any] | None:
    cursor = db.conn.execute("""SELECT id, kind, locked, EXISTS (SELECT 1 FROM assignments s
                                WHERE s.cluster_id = clusters.id AND s.method = 'analyst') AS pinned
                                FROM clusters WHERE id = ?""", [cluster_id])
    rows = dict_rows(cursor)
    return rows[0] if rows else None


# -- writes of the clusterer ------------------------------------------------------------------
def create_cluster(db: Database, cluster_id: int | None, kind: str) -> int:
    now = now_iso()
    cursor = db.conn.execute("INSERT INTO clusters (id, kind, created_at, updated_at) VALUES (?, ?, ?, ?)",
                             [cluster_id, kind, now, now])
    assert cursor.lastrowid is not None  # an INSERT sets it
    return cursor.lastrowid


def save_vectors(db: Database, rows: list[tuple]) -> None:
    """rows: (article_id, kind, at, tf_json, vec_json, sketch_bytes, emb_bytes, terms_rule, emb_rule): the
    versions of the rules that made the terms and the embedding (emb_rule None without one)."""
    db.conn.executemany("INSERT OR REPLACE INTO cluster_vectors (article_id, kind, at, tf, vec, sketch, emb, "
                        "terms_rule, emb_rule) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def add_document_frequencies(db: Database, counts: dict[str, int], docs: int) -> None:
    db.conn.executemany("INSERT INTO cluster_df (term, df) VALUES (?, ?) "
                        "ON CONFLICT(term) DO UPDATE SET df = df + excluded.df", sorted(counts.items()))
    set_meta(db, "cluster_docs", _meta_int(db, "cluster_docs") + docs)


def save_assignments(db: Database, rows: list[tuple]) -> None:
    """rows: (article_id, cluster_id, dup_of, score, dup_score, terms_json, reason[, proposed])."""
    now = now_iso()
    db.conn.executemany(
        "INSERT OR REPLACE INTO assignments (article_id, cluster_id, dup_of, score, dup_score, terms, reason, "
        "proposed, method, assigned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'auto', ?)",
        [(*r, 0, now) if len(r) == 7 else (*r, now) for r in rows])


def originals_first(db: Database, copies: Iterable[tuple[int, int]]) -> dict[int, str]:
    """(copy, original) pairs the clusterer just marked (dup_of). The original is the text published
    first: a copy published before its marked original (the wire's copy polled first, its source's
    page later) becomes the original, and the article it was marked a copy of, with that one's own
    copies, become its copies. A copy of a copy points to the first text. The analyst's placements
    keep their marks. Returns the articles that became originals, with their reasons. Inside the caller's transaction."""
    flipped: dict[int, str] = {}
    for copy, marked in copies:
        row = db.conn.execute("""SELECT coalesce(s.dup_of, s.article_id), s.method = 'auto' AND s.dup_of IS NULL
                                  FROM assignments s WHERE s.article_id = ?""", [marked]).fetchone()
        if row is None:
            continue
        original, movable = row
        if original != marked:  # marked a copy of a copy: the first text is the original
            db.conn.execute("UPDATE assignments SET dup_of = ? WHERE article_id = ?", [original, copy])
            movable = db.conn.execute("SELECT method = 'auto' FROM assignments WHERE article_id = ?",
                                      [original]).fetchone()[0]
        earlier = db.conn.execute(f"""SELECT (SELECT {ARTICLE_TIME} FROM articles a WHERE a.id = ?)
                                             < (SELECT {ARTICLE_TIME} FROM articles a WHERE a.id = ?)""",
                                  [copy, original]).fetchone()[0]
        if not earlier or not movable:
            continue
        ratio = db.conn.execute("SELECT dup_score FROM assignments WHERE article_id = ?", [copy]).fetchone()[0]
        shown = f" (text ratio {ratio:.2f})" if ratio is not None else ""
        db.conn.execute("UPDATE assignments SET dup_of = ? WHERE dup_of = ? AND article_id != ?", [copy, original, copy])
        db.conn.execute("UPDATE assignments SET dup_of = ?, dup_score = ?, reason = ? WHERE article_id = ?",
                        [copy, ratio, f"duplicate of article {copy}{shown}: published after it, stored before it",
                         original])
        flipped[copy] = f"original of article {original}{shown}: published before it, stored after it"
        db.conn.execute("UPDATE assignments SET dup_of = NULL, dup_score = NULL, reason = ? WHERE article_id = ?",
                        [flipped[copy], copy])
    return flipped


def merge_into(db: Database, source: int, target: int, *, analyst: bool = False, reason: str | None = None) -> None:
    """Move every member and corpus link of source into target; source is left empty. `reason`: why
    the clusterer merged them (cluster/consolidate.py), put before each automatic member's own."""
    if reason is not None:
        db.conn.execute("UPDATE assignments SET reason = ? || '; ' || reason WHERE cluster_id = ? AND method = 'auto'",
                        [reason, source])
    # They join the target now: its members rank by when they joined (what is new since the analyst looked).
    if analyst:
        db.conn.execute("UPDATE assignments SET cluster_id = ?, method = 'analyst', assigned_at = ?, "
                        "reason = 'merged by analyst from cluster ' || ? WHERE cluster_id = ?",
                        [target, now_iso(), source, source])
    else:
        db.conn.execute("UPDATE assignments SET cluster_id = ?, assigned_at = ? WHERE cluster_id = ?",
                        [target, now_iso(), source])
    db.conn.execute("""INSERT INTO corpus_links (cluster_id, article_id, score, terms)
                       SELECT ?, article_id, score, terms FROM corpus_links WHERE cluster_id = ? AND true
                       ON CONFLICT(cluster_id, article_id) DO UPDATE SET score = max(score, excluded.score)""",
                    [target, source])
    db.conn.execute("DELETE FROM corpus_links WHERE cluster_id = ?", [source])
    db.conn.execute("UPDATE clusters SET merged_into = ?, updated_at = ? WHERE id = ?", [target, now_iso(), source])


def split_off(db: Database, source: int, target: int, article_ids: Iterable[int], reason: str) -> None:
    """Move these automatic members of source into target (a twin event cut apart, cluster/split.py);
    each keeps its join's reason after the split's. The analyst's members never move."""
    db.conn.executemany("UPDATE assignments SET cluster_id = ?, reason = ? || '; ' || reason "
                        "WHERE article_id = ? AND cluster_id = ? AND method = 'auto'",
                        [(target, f"{reason} (from event {source})", a, source) for a in article_ids])
    db.conn.execute("INSERT OR IGNORE INTO split_pairs (kept, moved, created_at) VALUES (?, ?, ?)",
                    [source, target, now_iso()])


def split_pairs(db: Database) -> set[frozenset[int]]:
    """The live events each split's two sides ended up in (merged_into followed: a side merged
    into another event, by the clusterer or the analyst, carries the pair there), the pairs whose
    two sides are still two events: the analyst merging them into one voids the pair, undoing that
    merge brings it back."""
    rows = db.conn.execute("""
        WITH RECURSIVE up(side, at) AS (
            SELECT kept, kept FROM split_pairs UNION SELECT moved, moved FROM split_pairs
            UNION SELECT up.side, c.merged_into FROM up JOIN clusters c ON c.id = up.at
                  WHERE c.merged_into IS NOT NULL)
        SELECT up.side, up.at FROM up JOIN clusters c ON c.id = up.at WHERE c.merged_into IS NULL""")
    root: dict[int, int] = dict(rows.fetchall())
    out = set()
    for kept, moved in db.conn.execute("SELECT kept, moved FROM split_pairs"):
        one, other = root.get(kept), root.get(moved)
        if one is not None and other is not None and one != other:
            out.add(frozenset((one, other)))
    return out


def move_members(db: Database, rows: list[tuple[int, int, int, float, str]]) -> None:
    """rows: (article_id, source, target, score, reason): articles a second look moved out of the
    events they opened alone (cluster/refine.py); only the engine's own placements move, and a
    source left empty is merged into the event its article went to."""
    now = now_iso()
    for article_id, source, target, score, reason in rows:
        db.conn.execute("""UPDATE assignments SET cluster_id = ?, score = ?, reason = ?, assigned_at = ?
                           WHERE article_id = ? AND cluster_id = ? AND method = 'auto' AND proposed = 0""",
                        [target, score, reason, now, article_id, source])
        if db.conn.execute("SELECT 1 FROM assignments WHERE cluster_id = ? LIMIT 1", [source]).fetchone() is None:
            merge_into(db, source, target)


def save_looks(db: Database, rows: list[tuple[int, int]], dropped: list[int]) -> None:
    """The second look's watch (cluster/refine.py): rows (article_id, looks) kept, `dropped` forgotten."""
    db.conn.executemany("INSERT OR REPLACE INTO member_looks (article_id, looks) VALUES (?, ?)", rows)
    db.conn.executemany("DELETE FROM member_looks WHERE article_id = ?", [(a,) for a in dropped])


def watched_members(db: Database) -> list[tuple[int, int | None, int, bool]]:
    """(article_id, cluster_id, looks, movable) of every watched article; movable: the engine's own
    placement, neither a duplicate nor copied, nor proposed (the others are forgotten)."""
    return [(a, c, looks, bool(movable)) for a, c, looks, movable in db.conn.execute(
        """SELECT w.article_id, s.cluster_id, w.looks,
                  s.method = 'auto' AND s.proposed = 0 AND s.dup_of IS NULL
                  AND NOT EXISTS (SELECT 1 FROM assignments d WHERE d.dup_of = w.article_id)
           FROM member_looks w LEFT JOIN assignments s ON s.article_id = w.article_id
           ORDER BY w.article_id""")]


def replace_corpus_links(db: Database, cluster_id: int, links: list[tuple[int, float, list[str]]]) -> None:
    db.conn.execute("DELETE FROM corpus_links WHERE cluster_id = ?", [cluster_id])
    db.conn.executemany("INSERT INTO corpus_links (cluster_id, article_id, score, terms) VALUES (?, ?, ?, ?)",
                        [(cluster_id, a, round(s, 4), json.dumps(t, ensure_ascii=False)) for a, s, t in links])


def refresh_aggregates(db: Database, cluster_ids: Iterable[int]) -> None:
    """Recompute size, sources, duplicates, first/last seen and label from the members."""
    now = now_iso()
    wanted = sorted(set(cluster_ids))
    ids = [as_list(wanted)]
    rows = db.conn.execute(
        f"""SELECT s.cluster_id, count(*), count(DISTINCT coalesce(a.source_host, 'feed:' || a.feed_id,
                   'file:' || a.source_path, a.origin)), count(s.dup_of), min({ARTICLE_TIME}), max({ARTICLE_TIME})
            FROM assignments s JOIN articles a ON a.id = s.article_id
            WHERE s.cluster_id IN {IN_LIST} AND s.proposed = 0 GROUP BY s.cluster_id""", ids).fetchall()
    labels = dict(db.conn.execute(
        f"""SELECT cluster_id, title FROM (
                SELECT s.cluster_id, a.title, row_number() OVER (
                    PARTITION BY s.cluster_id ORDER BY s.dup_of IS NOT NULL, {ARTICLE_TIME}, a.id) AS n
                FROM assignments s JOIN articles a ON a.id = s.article_id WHERE s.cluster_id IN {IN_LIST} AND s.proposed = 0)
            WHERE n = 1""", ids))
    found = {r[0] for r in rows}
    db.conn.executemany("""UPDATE clusters SET size = ?, source_count = ?, dup_count = ?, first_seen = ?,
                           last_seen = ?, label = ?, updated_at = ? WHERE id = ?""",
                        [(size, sources, dups, first, last, (labels.get(cid) or "")[:300], now, cid)
                         for cid, size, sources, dups, first, last in rows])
    db.conn.executemany("""UPDATE clusters SET size = 0, source_count = 0, dup_count = 0, updated_at = ?
                           WHERE id = ?""", [(now, cid) for cid in wanted if cid not in found])


def cluster_of(db: Database, article_id: int) -> tuple[int, str] | None:
    row = db.conn.execute("SELECT s.cluster_id, c.kind FROM assignments s JOIN clusters c ON c.id = s.cluster_id "
                          "WHERE s.article_id = ?", [article_id]).fetchone()
    return (row[0], row[1]) if row else None


def place_by_analyst(db: Database, article_id: int, cluster_id: int, reason: str) -> None:
    db.conn.execute("""UPDATE assignments SET cluster_id = ?, method = 'analyst', proposed = 0, dup_of = NULL,
                       dup_score = NULL, reason = ?, assigned_at = ? WHERE article_id = ?""",
                    [cluster_id, reason, now_iso(), article_id])


def accept_proposed(db: Database, article_id: int) -> int | None:
    """A proposed member becomes the analyst's; returns its cluster (None when not proposed)."""
    row = db.conn.execute("SELECT cluster_id FROM assignments WHERE article_id = ? AND proposed = 1",
                          [article_id]).fetchone()
    if row is None:
        return None
    db.conn.execute("""UPDATE assignments SET proposed = 0, method = 'analyst', reason = 'accepted by analyst: ' || reason,
                       assigned_at = ? WHERE article_id = ?""", [now_iso(), article_id])
    return row[0]


def set_locked_flag(db: Database, cluster_id: int, locked: bool) -> int:
    return db.conn.execute("UPDATE clusters SET locked = ?, updated_at = ? WHERE id = ?",
                           [int(locked), now_iso(), cluster_id]).rowcount


def live_cluster(db: Database, cluster_id: int) -> bool:
    row = db.conn.execute("SELECT merged_into FROM clusters WHERE id = ?", [cluster_id]).fetchone()
    return row is not None and row[0] is None


# -- what undoing a correction needs ----------------------------------------------------------
ASSIGNMENT_FIELDS = ("article_id", "cluster_id", "dup_of", "score", "dup_score", "terms", "reason", "method",
                     "proposed")


def assignment_states(db: Database, *, cluster_id: int | None = None,
                      article_id: int | None = None) -> list[dict[str, Any]]:
    """The assignment rows of a cluster's members (or of one article), as undo restores them."""
    column, value = ("cluster_id", cluster_id) if cluster_id is not None else ("article_id", article_id)
    return dict_rows(db.conn.execute(f"SELECT {', '.join(ASSIGNMENT_FIELDS)} FROM assignments "
                                     f"WHERE {column} = ? ORDER BY article_id", [value]))


def restore_assignments(db: Database, states: list[dict[str, Any]]) -> None:
    """Put assignment rows back as recorded (each article must still be assigned)."""
    now = now_iso()
    db.conn.executemany("""UPDATE assignments SET cluster_id = :cluster_id, dup_of = :dup_of, score = :score,
                           dup_score = :dup_score, terms = :terms, reason = :reason, method = :method,
                           proposed = :proposed, assigned_at = :now WHERE article_id = :article_id""",
                        [{"proposed": 0, **state, "now": now} for state in states])


def corpus_links_of(db: Database, cluster_id: int) -> list[list]:
    return [list(r) for r in db.conn.execute("SELECT article_id, score, terms FROM corpus_links "
                                             "WHERE cluster_id = ? ORDER BY article_id", [cluster_id])]


def set_corpus_links(db: Database, cluster_id: int, links: list[list]) -> None:
    """Replace a cluster's corpus links with recorded rows (article_id, score, terms JSON)."""
    db.conn.execute("DELETE FROM corpus_links WHERE cluster_id = ?", [cluster_id])
    db.conn.executemany("INSERT INTO corpus_links (cluster_id, article_id, score, terms) VALUES (?, ?, ?, ?)",
                        [(cluster_id, *link) for link in links])


def revive(db: Database, cluster_id: int) -> None:
    """A cluster merged away becomes live again (its members are put back separately)."""
    db.conn.execute("UPDATE clusters SET merged_into = NULL, updated_at = ? WHERE id = ?", [now_iso(), cluster_id])


def live_root(db: Database, cluster_id: int) -> int:
    """The live cluster a (possibly merged) cluster ended up in."""
    seen = set()
    while cluster_id not in seen:
        seen.add(cluster_id)
        row = db.conn.execute("SELECT merged_into FROM clusters WHERE id = ?", [cluster_id]).fetchone()
        if row is None or row[0] is None:
            return cluster_id
        cluster_id = row[0]
    return cluster_id


def forget_automatic(db: Database) -> None:
    """For a full re-clustering: drop automatic assignments outside locked clusters and every
    vector, keep analyst assignments and locked clusters; empty clusters go."""
    db.conn.execute("""DELETE FROM assignments WHERE method = 'auto'
                       AND (proposed = 1 OR cluster_id NOT IN (SELECT id FROM clusters WHERE locked = 1))""")
    db.conn.execute("DELETE FROM cluster_vectors")
    db.conn.execute("DELETE FROM cluster_df")
    db.conn.execute("DELETE FROM split_pairs")  # the splits are automatic decisions: made again
    db.conn.execute("DELETE FROM member_looks")
    set_meta(db, "cluster_docs", 0)
    db.conn.execute("UPDATE clusters SET merged_into = NULL WHERE merged_into IN "
                    "(SELECT id FROM clusters WHERE locked = 0)")
    db.conn.execute("""DELETE FROM clusters WHERE locked = 0
                       AND NOT EXISTS (SELECT 1 FROM assignments s WHERE s.cluster_id = clusters.id)""")
    refresh_aggregates(db, [r[0] for r in db.conn.execute("SELECT id FROM clusters")])


def release_for_reclustering(db: Database, article_id: int) -> str | None:
    """After an article's text changed (its page arrived on a retry): forget its vector and its
    share of the document frequencies, so the next clustering run places it by its new text.

    An automatic placement is dropped too, unless the cluster is locked or another article is
    marked a duplicate of this one: then, like an analyst's placement, it stays and only the
    vector is recomputed. Call inside the write transaction that changes the text. Returns
    'moved' (placement dropped), 'kept' (placement kept) or None (never clustered).
    """
    row = db.conn.execute("SELECT tf FROM cluster_vectors WHERE article_id = ?", [article_id]).fetchone()
    if row is None:
        return None
    terms = list(json.loads(row[0]))
    db.conn.executemany("UPDATE cluster_df SET df = df - 1 WHERE term = ?", [(t,) for t in terms])
    db.conn.executemany("DELETE FROM cluster_df WHERE term = ? AND df <= 0", [(t,) for t in terms])
    set_meta(db, "cluster_docs", max(0, _meta_int(db, "cluster_docs") - 1))
    db.conn.execute("DELETE FROM cluster_vectors WHERE article_id = ?", [article_id])
    placed = db.conn.execute(
        """SELECT s.cluster_id, s.method = 'auto' AND NOT c.locked
                  AND NOT EXISTS (SELECT 1 FROM assignments d WHERE d.dup_of = s.article_id)
           FROM assignments s JOIN clusters c ON c.id = s.cluster_id WHERE s.article_id = ?""",
        [article_id]).fetchone()
    outcome = "kept"
    if placed is not None and placed[1]:
        db.conn.execute("DELETE FROM assignments WHERE article_id = ?", [article_id])
        refresh_aggregates(db, [placed[0]])
        outcome = "moved"
    bump_generation(db)
    return outcome


def cluster_of_each(db: Database) -> dict[int, int]:
    """Every assigned article's cluster id (evaluation reads the clustering it just made)."""
    return dict(db.conn.execute("SELECT article_id, cluster_id FROM assignments"))
