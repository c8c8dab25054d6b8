"""Stored features that follow their rules: what an older rule stored is derived again, a slice at a time.

When a rule changes (the terms' stems, the places, the weekdays, the embedding model, the
figures' number words), a
database clustered before keeps the old rule's vectors and identities, and new articles are then
compared by new-rule terms against events summed from old-rule ones ("strike" against the old
"strikes"). Each poll re-derives one slice, newest first (the events open in the window get
theirs first): features computed outside any transaction, then one short write that swaps the
articles' terms in the document frequencies, stores the new rows with their rule versions and
bumps the cluster generation, so every engine rebuilds its events' sums from the members' new
vectors. Membership never changes: assignments, locks, merges, moves, stars and tags are not
touched, only what future joins compare against. A killed run loses nothing (the write is one
transaction and the stale rows keep their old versions); two runs at once each skip what the
other stored first.

Embeddings: a vector of another model is embedded again when this run has the model (the
embedding cache answers for texts it knows), else dropped: cosines between two models' vectors
mean nothing, and an article without a vector is placed by its words, as a non-English one is.
"""
from __future__ import annotations

from collections import Counter

import numpy as np
from sqlite_utils import Database

from monitor.cluster import embed
from monitor.cluster.embed_cache import VectorCache
from monitor.cluster.features import TERMS_RULE, Features, extract, weigh
from monitor.cluster.identity import IDENTITY_RULE
from monitor.cluster.stored_rows import embedding_language, english_or_unknown, vector_row
from monitor.cluster_settings import ClusterSettings
from monitor.store import embeddings as embedding_store
from monitor.store import rederive as store
from monitor.store.clusters import bump_generation
from monitor.store.db import write_transaction
from monitor.store.figures import insert_figures
from monitor.store.identity import ArticleSource, save_identities
from monitor.text.figures import FIGURES_RULE, extract_figures, figures_enabled

SLICE = 1000  # about a CPU second: 500 ECB+ articles (title and body) took 0.45 s here


def current_rules() -> store.FeatureRules:
    return store.FeatureRules(TERMS_RULE.version, IDENTITY_RULE.version, embed.RULE,
                              FIGURES_RULE.version if figures_enabled() else None)


def waiting(db: Database) -> int:
    """How many stored articles still carry a derivation of an older rule."""
    return store.waiting(db, current_rules())


def rederive_slice(db: Database, settings: ClusterSettings, limit: int = SLICE) -> int:
    """Derive one slice of stale articles again and store it; how many were stored (0 once done, or
    when another run stored this slice first: the mark says whether more is below)."""
    rules = current_rules()
    if store.signature_changed(db, rules):
        with write_transaction(db):
            store.restart(db, rules)
    below = store.mark(db)
    if below <= 0:
        return 0
    stale = store.stale_sources(db, below, limit, rules)
    if not stale:
        with write_transaction(db):
            store.lower_mark(db, 0)
        return 0
    sources = [s.source for s in stale if s.vectors]
    features = {s.article_id: extract(s.title, s.text, s.language) for s in sources}
    figures = {s.source.article_id: (s.content_hash, extract_figures(s.source.title, s.source.text, s.source.language))
               for s in stale if s.figures}
    encode = embed.embedder_for(settings) if sources else None  # (figures alone need no model)
    embs, cache_rows = _embeddings(db, encode, sources, features) if encode is not None else ({}, [])
    with write_transaction(db):
        stored = store.stale_features(db, features, rules)
        removed: Counter[str] = Counter(t for s in stored.values() for t in s.terms)
        added: Counter[str] = Counter(t for aid in stored for t in features[aid].tf)
        store.swap_document_frequencies(db, removed, added)
        df, docs = store.frequencies_of(db, added)
        rows = []
        for aid, old in sorted(stored.items()):
            feat = features[aid]
            if encode is not None:
                emb = embs.get(aid)
            else:  # without the model: keep a vector of the running model, drop another's
                emb = np.frombuffer(old.emb, dtype=np.float32) if old.emb is not None and old.emb_current else None
            row = vector_row(aid, "", None, feat, weigh(feat.tf, df, docs), emb)
            rows.append((*row[3:], aid))
        store.rewrite_vectors(db, rows)
        save_identities(db, {aid: features[aid].identity for aid in stored}, rule=rules.identity)
        embedding_store.save_vectors(db, cache_rows)
        read_again = store.stale_figures(db, figures, rules)
        for aid in sorted(read_again):
            insert_figures(db, aid, *figures[aid])
        store.lower_mark(db, stale[-1].source.article_id if len(stale) == limit else 0)
        if rows:
            bump_generation(db)  # engines rebuild their events from the members' new vectors
    return len(set(stored) | read_again)


def rederive_all(db: Database, settings: ClusterSettings) -> int:
    """Every slice now (`monitor rederive`); how many articles were derived again."""
    done = rederive_slice(db, settings)
    while store.mark(db) > 0:
        done += rederive_slice(db, settings)
    return done


def _embeddings(db: Database, encode, sources: list[ArticleSource],
                features: dict[int, Features]) -> tuple[dict[int, np.ndarray], list[tuple[bytes, bytes]]]:
    """Headline vectors of the articles the English model reads (as clustering chooses them), and
    the new cache rows to store."""
    wanted = [s.article_id for s in sources
              if english_or_unknown(embedding_language(s.language, features[s.article_id]))]
    vectors, new = VectorCache(db, encode).vectors([features[aid].embed_text for aid in wanted])
    return dict(zip(wanted, vectors)), new
