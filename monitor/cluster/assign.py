"""Entry point the poller calls after storing articles: assign every unassigned article.

Work is done in batches. For each batch the features, embeddings and decisions are
computed outside any transaction, on the cached engine; then one short write transaction
(batch_writer) checks that nobody changed the clusters meanwhile (the generation) and
stores everything. On a conflict (cron and the dashboard at once) the engine is rebuilt and
the batch redone, so each article is assigned exactly once. Articles go in id order: the
same input gives the same clusters.
"""
from __future__ import annotations

import itertools
import threading
from collections import Counter
from concurrent.futures import Future

from sqlite_utils import Database

from monitor.cluster import state
from monitor.cluster.across_languages import tolls
from monitor.cluster.consolidate import consolidate
from monitor.cluster.corpus_links import CorpusIndex
from monitor.cluster.embed import embedder_for
from monitor.cluster.embed_cache import VectorCache
from monitor.cluster.batch_writer import BatchWriter, DecidedBatch
from monitor.cluster.features import Features, embed_text, extract
from monitor.cluster.gc_pause import collector_paused
from monitor.cluster.prefetch import Ahead, embed_there
from monitor.cluster.refine import second_look
from monitor.cluster.rederive import rederive_slice
from monitor.cluster.stored_rows import embedding_language, english_or_unknown, vector_row
from monitor.cluster.vectors import Cluster
from monitor.cluster_settings import ClusterSettings
from monitor.models import ArticleIdentity, Assignment
from monitor.store import clusters as store
from monitor.store.db import write_transaction
from monitor.store.figures import figures_of_articles
from monitor.store.identity import article_identity
from monitor.text.figures import Figure
from monitor.text.normalize import match_text
from monitor.text.tokens import readable
from monitor.timeutil import from_iso

BATCH = 500
MATCH_TEXTS_KEPT = 20_000  # normalized texts kept for duplicate checks (~30 MB at most)
MIN_AHEAD = 100  # below this the next batch is computed here: a worker costs more than it saves
ATTEMPTS = 8
_lock = threading.RLock()


def assign_pending(db: Database, settings: ClusterSettings) -> list[Assignment]:
    """Assign every stored article without an assignment; idempotent, safe to run concurrently."""
    embed = embedder_for(settings)
    with _lock:
        return _Run(db, settings, embed, BatchWriter(db)).all()


def assign_backlog(db: Database, settings: ClusterSettings, *, rederive: bool = True) -> list[Assignment]:
    """assign_pending when any article waits (new ones, or those a killed run left unassigned);
    nothing is loaded (no engine, no embedding model) when none does. Then, with `rederive`, one
    slice of the re-derivation of features an older rule stored, identities missing from articles
    clustered before they were stored included (none once done)."""
    made = assign_pending(db, settings) if store.has_pending(db) else []
    if rederive:
        with _lock:  # not beside this process's own clustering: both swap document frequencies
            rederive_slice(db, settings)
    return made


class _MatchTexts:
    """Article id -> normalized text for duplicate checks, kept across the batches of one run.

    The members a duplicate check reads are mostly recent: kept, they are read from SQLite
    and normalized once instead of once per batch (41k reads at 100k articles). Bounded, least
    recently used out first: the members of a long-running story stay."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.texts: dict[int, str] = {}

    def __call__(self, article_id: int) -> str:
        text = self.texts.pop(article_id, None)  # out and back in: the least recently used go first
        if text is None:
            text = match_text(*store.article_texts(self.db, article_id))
        self.texts[article_id] = text
        return text

    def update(self, found: dict[int, str]) -> None:
        self.texts.update(found)
        excess = len(self.texts) - MATCH_TEXTS_KEPT
        if excess > 0:
            for article_id in list(itertools.islice(self.texts, excess)):
                del self.texts[article_id]


class _Tolls:
    """Article ids -> the counts of people they state (across_languages.tolls), from their stored
    figures (read again when stale); asked only by the across-languages rule, kept for the run."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.read: dict[int, frozenset[str]] = {}

    def __call__(self, article_ids: list[int]) -> frozenset[str]:
        if missing := [a for a in article_ids if a not in self.read]:
            found: dict[int, list[Figure]] = {a: [] for a in missing}
            for reported in figures_of_articles(self.db, missing):
                found[reported.article_id].append(reported.figure)
            if len(self.read) > MATCH_TEXTS_KEPT:
                self.read.clear()
            self.read.update({a: tolls(figures) for a, figures in found.items()})
        return frozenset().union(*(self.read.get(a, frozenset()) for a in article_ids))


def _epoch(iso: str | None) -> float | None:
    moment = from_iso(iso)
    return moment.timestamp() if moment else None


class _Run:
    """The batches of one assign_pending call, as a pipeline over two cores.

    While batch k is written (SQLite, in the writer process) batch k+1 is decided here on
    the engine that already holds k's decisions, and a worker process computes the features
    of k+2 (when there is such a backlog). A write refused because another process changed
    the clusters meanwhile voids every batch decided after it too: the engine is rebuilt
    from SQLite and the run goes on from the first article not stored.
    """

    def __init__(self, db: Database, settings: ClusterSettings, embed, writer: BatchWriter) -> None:
        self.db, self.settings, self.embed, self.writer = db, settings, embed, writer
        self.texts = _MatchTexts(db)
        self.tolls = _Tolls(db)
        self.vectors = VectorCache(db, embed) if embed is not None else None
        self.ahead: Ahead | None = None
        self.made: list[Assignment] = []
        self.entry: state.CachedEngine | None = None
        self.in_flight: tuple[Future, DecidedBatch] | None = None
        self.conflicts = 0

    def all(self) -> list[Assignment]:
        # The collector paused for the whole run, not only while a batch is decided: between
        # batches it still ran (features and results unpickled, rows read), and its older
        # generations walked the engine, 7% of the run's CPU at 100k for 88 objects found.
        with collector_paused():
            return self._batches()

    def _batches(self) -> list[Assignment]:
        try:
            while True:
                if self.in_flight is None:
                    # Read before the pending rows: a batch another process commits after this
                    # point changes the generation, and the write then refuses these rows.
                    self.entry = state.cached_engine(self.db, self.settings, self.embed is not None, self.texts)
                    self.entry.engine.tolls_of = self.tolls
                    rows = store.pending_articles(self.db, BATCH)
                    if not rows:
                        return self.made
                else:
                    rows = store.pending_articles(self.db, BATCH, after=self.in_flight[1].last_id)
                    if not rows:
                        self._settle()  # then look again from the last stored article
                        continue
                features = self._features(rows)
                if self.in_flight is not None and self.in_flight[1].has_corpus:
                    self._settle()  # corpus links read the stored corpus vectors
                    if self.entry is None:
                        continue
                embs, cache_rows = self._embeddings(rows, features)
                batch = _decide(self.db, self.settings, self.entry, rows, features, self.texts, embs)
                batch.cache_rows = cache_rows
                self._settle()
                if self.entry is None:  # the write before this batch was refused: this one is void too
                    continue
                self.in_flight = (self.writer.submit(self.entry.generation, batch, backlog=len(rows) == BATCH), batch)
        except BaseException:
            self._drain()
            raise

    def _settle(self) -> None:
        """Wait for the write under way; on a conflict forget the engine (it holds unstored decisions)."""
        if self.in_flight is None:
            return
        future, _ = self.in_flight
        self.in_flight = None
        assert self.entry is not None, "a write in flight was decided by an engine"
        try:
            made, self.entry.generation = future.result()
            self.made.extend(made)
            self.conflicts = 0
        except store.GenerationConflict:
            state.forget(self.entry)
            self.entry = None
            self.conflicts += 1
            if self.conflicts >= ATTEMPTS:
                raise RuntimeError("clusters kept changing under the clusterer; try again") from None

    def _drain(self) -> None:
        """After a failure: let the write under way end, and drop the engine (it may hold decisions
        that were never stored)."""
        if self.in_flight is not None:
            try:
                self.in_flight[0].result()
            except BaseException:
                pass
            self.in_flight = None
        if self.entry is not None:
            state.forget(self.entry)

    def _features(self, rows: list[dict]) -> list[Features]:
        ahead, self.ahead = self.ahead, None
        found = ahead.result_for(rows) if ahead is not None else None
        features = found if found is not None else [extract(r["title"], r["text"], r.get("language")) for r in rows]
        if len(rows) == BATCH:  # a backlog: the worker computes the next batch while this one is decided
            upcoming = store.pending_articles(self.db, BATCH, after=rows[-1]["id"])
            if len(upcoming) >= MIN_AHEAD:
                self.ahead = Ahead(upcoming)  # its features first: the next batch waits for them
                if self.vectors is not None:
                    # Its new headlines too, in chunks: what the worker has not begun when that batch
                    # needs them is taken back and embedded here (embed_cache.py). A backlog's first
                    # batch is embedded here, while the worker starts.
                    self.vectors.lend(embed_there(self._new_headlines(upcoming)))
        self.texts.update({r["id"]: f.match for r, f in zip(rows, features)})
        return features

    def _new_headlines(self, rows: list[dict]) -> list[str]:
        """The headlines of these rows with no vector yet, declared language permitting (a detected
        one is known with the features; an article found not English is embedded for nothing)."""
        assert self.vectors is not None
        return self.vectors.missing([embed_text(r["title"], r["text"]) for r in rows
                                     if english_or_unknown(r.get("language"))])

    def _embeddings(self, rows: list[dict], features: list[Features]) -> tuple[list, list[tuple[bytes, bytes]]]:
        """Vectors for articles in English or of unknown language (declared, else detected; None for the others), and the
        cache rows to store with the batch.

        The model is English-only: on other languages its headline similarities are noise (two
        unrelated Spanish and Portuguese pages scored above the event threshold), so their
        words alone place them."""
        embs: list = [None] * len(rows)
        if self.vectors is None:
            return embs, []
        wanted = [i for i, (row, f) in enumerate(zip(rows, features))
                  if english_or_unknown(embedding_language(row.get("language"), f))]
        vectors, new = self.vectors.vectors([features[i].embed_text for i in wanted])
        for i, vector in zip(wanted, vectors):
            embs[i] = vector
        return embs, new


def _decide(db, settings, entry, rows, features, matches, embs) -> DecidedBatch:
    """Place every article of the batch on the engine (in memory); nothing is stored here."""
    engine = entry.engine
    decisions, vector_rows, touched, corpus_new = [], [], set(), []
    identities: dict[int, ArticleIdentity] = {}
    df_counts: Counter[str] = Counter()
    for feat in features:  # (the articles holding each term, in C; stored with the batch)
        df_counts.update(feat.tf.keys())
    # The whole batch counts into the document frequencies before any decision: on a fresh
    # database the first articles are then weighed against more than themselves.
    engine.count_batch(df_counts, len(features))
    times = [_epoch(row["at"]) if row["origin"] != "corpus" else None for row in rows]
    newest = max([engine.horizon, *(t for t in times if t is not None)])
    old_before = newest - settings.old_after_days * 86400
    for row, feat, emb, at in zip(rows, features, embs, times):
        kind = "corpus" if row["origin"] == "corpus" else "event"
        doc = engine.prepare(row["id"], kind, at, feat, emb, counted=True, old=at is not None and at < old_before)
        light = doc.light()  # as the roster and the watch keep it: built once for both
        entry.roster.add(light)
        if row["kept_cluster"] is not None:  # kept by the analyst across a re-clustering
            cluster = engine.clusters.get(row["kept_cluster"])
            if cluster is None:
                flags = store.cluster_flags(db, row["kept_cluster"]) or {"kind": kind, "locked": 0, "pinned": 1}
                cluster = Cluster(id=row["kept_cluster"], kind=flags["kind"], locked=bool(flags["locked"]),
                                  pinned=bool(flags["pinned"]))
                engine.add_cluster(cluster)
            engine.add_member(cluster, doc, light)
            touched.add(cluster.id)
        else:
            decision = engine.assign(doc, matches(row["id"]), light)
            entry.watch.observe(decision, light)
            decisions.append(decision)
            touched.add(decision.cluster_id)
            touched.update(s for s, _ in decision.merged)
            if decision.split is not None:
                touched.update((decision.split.source, decision.split.target))
        if kind == "corpus":
            corpus_new.append((row["id"], feat.tf, emb, feat.identity))
        vector_rows.append(vector_row(row["id"], kind, at, feat, doc.vec, emb))
        identities[row["id"]] = feat.identity
    moves = second_look(engine, entry.watch)
    touched.update(c for m in moves for c in (m.source, m.target))
    fusions = consolidate(engine, entry.roster, touched)
    touched.update(c for f in fusions for c in (f.source, f.target))
    links = _corpus_links(db, settings, engine, touched, corpus_new)
    engine.sweep()
    forms = {r["id"]: f.forms for r, f in zip(rows, features)}
    shown = {d.article_id: [forms[d.article_id].get(t, t) for t in d.terms] for d in decisions}
    return DecidedBatch(decisions, vector_rows, dict(df_counts), len(rows), links, shown, touched,
                        last_id=rows[-1]["id"], has_corpus=bool(corpus_new), identities=identities, moves=moves,
                        looks=entry.watch.flush(), fusions=fusions)


def _corpus_links(db, settings, engine, touched, corpus_new) -> dict[int, list]:
    """Links of the event clusters this batch changed (of every live one when corpus documents arrived)."""
    pool = [c for c in engine.clusters.values() if c.kind == "event"] if corpus_new else \
        [engine.clusters[cid] for cid in sorted(touched) if cid in engine.clusters]
    events = [c for c in pool if c.kind == "event"]
    if not events:
        return {}
    stored = store.corpus_vectors(db)
    if not stored and not corpus_new:
        return {}
    identities = article_identity(db, [row[0] for row in stored])
    identities.update({aid: identity for aid, _, _, identity in corpus_new})
    dates = {aid: at for aid, published in store.corpus_dates(db).items() if (at := _epoch(published)) is not None}
    index = CorpusIndex.from_store(engine, stored, [(aid, tf, emb) for aid, tf, emb, _ in corpus_new], identities,
                                   dates)
    found = {c.id: index.links(c, settings.corpus_link_threshold) for c in events}
    texts: dict[int, str] = {}
    for links in found.values():
        for n, (article_id, score, stems) in enumerate(links):
            if article_id not in texts:
                title, text = store.article_texts(db, article_id)
                texts[article_id] = f"{title}\n{text[:20000]}"
            evidence = [s for s in stems if ": " in s]  # "where: Kursk", already readable
            shown = readable([s for s in stems if ": " not in s], texts[article_id],
                             identities[article_id].language if article_id in identities else "")
            links[n] = (article_id, score, evidence + shown)
    return found


def recluster(db: Database, settings: ClusterSettings) -> list[Assignment]:
    """Cluster everything again from scratch (e.g. after changing [cluster] settings).

    Analyst corrections survive: articles placed by the analyst and members of locked
    clusters keep their clusters and seed them; everything else is assigned afresh.
    """
    with _lock:
        with write_transaction(db):
            store.forget_automatic(db)
            store.bump_generation(db)
        return assign_pending(db, settings)
