"""What the clusterer knows of one article: weighted terms, a MinHash sketch, an embedding.

Terms come from the title (counted twice), the lead and the start of the body; names
(capitalized terms) count half again. Weights are TF-IDF against the document
frequencies of everything clustered so far, so common words of any language fade.
"""
from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field

from monitor.cluster.identity import LEAD_WORDS, identify, terms_language
from monitor.rule_version import RuleVersion
from monitor.models import ArticleIdentity
from monitor.text.normalize import match_text
from monitor.text.tokens import entity_terms, lead, name_words, surface_forms, terms

TITLE_WEIGHT = 2.0
BODY_WORDS = 400
ENTITY_BOOST = 1.5
MAX_TERMS = 48  # terms kept per article vector: enough to explain, small enough to index
SKETCH_SIZE = 64  # bottom-k MinHash of word 3-grams
IDF_FLOOR = 0.3
# The rule of the stored terms vector (tf, sketch, the weighing): bump it with any change to its
# output (terms, stems, weights, sketch); articles stored by an older one are derived again.
TERMS_RULE = RuleVersion(1, "8d627836c9cabc0e")


@dataclass(frozen=True)
class Features:
    """Raw term frequencies (before IDF), sketch and the texts derived from one article.

    The embedding reads the headline only: headline embeddings compare alike whether the
    body is there or not (datasets of headlines, feeds with full text), while the body's
    words go into the TF-IDF vector."""

    tf: dict[str, float]
    sketch: tuple[int, ...]
    embed_text: str
    match: str = ""  # the normalized text duplicate checks compare (computed once, here)
    forms: dict[str, str] = field(default_factory=dict)  # term -> the word the text uses, for reasons shown
    identity: ArticleIdentity = ArticleIdentity("")  # who, where, numbers, language (title and lead), stored once
    has_text: bool = True  # a body beside the title (False: a bare headline)


def raw_tf(title: str, text: str, opening: str | None = None, language: str = "") -> dict[str, float]:
    """`opening`: lead(text) when the caller has it already; `language`: whose stems (identity.terms_language)."""
    counts: dict[str, float] = {}
    body = " ".join(text.split()[:BODY_WORDS]) if text else ""
    names = name_words(f"{title}\n{body}", language)
    for t in terms(title, language, names):
        counts[t] = counts.get(t, 0.0) + TITLE_WEIGHT
    for t in terms(body, language, names):
        counts[t] = counts.get(t, 0.0) + 1.0
    for t in entity_terms(title) | entity_terms(lead(text) if opening is None else opening):
        if t in counts:
            counts[t] *= ENTITY_BOOST
    return dict(counts)


def sketch(normalized: str) -> tuple[int, ...]:
    """Bottom-k MinHash of word 3-grams: a cheap Jaccard estimate before rapidfuzz."""
    words = normalized.split()
    grams = {" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))}
    hashes = sorted({zlib.crc32(g.encode("utf-8")) for g in grams if g})
    return tuple(hashes[:SKETCH_SIZE])


def embed_text(title: str, text: str) -> str:
    """What the sentence embedding reads: the headline (the lead's first words without one)."""
    return (title or lead(text or "", 40)).strip()


def extract(title: str, text: str, language: str | None = None) -> Features:
    """Everything the clusterer reads of one article; `language` as the page declares it (else detected)."""
    text = text or ""
    match = match_text(title, text)
    opening = lead(text, LEAD_WORDS)
    identity = identify(title, text, language, opening)
    has_text = bool(text.strip())
    stems = terms_language(language, identity.language, f"{title}\n{opening}")
    tf = raw_tf(title, text, opening, stems)
    forms = surface_forms(f"{title}\n{text[:20000]}", stems)
    return Features(tf=tf, sketch=sketch(match), embed_text=embed_text(title, text), match=match,
                    forms={t: forms[t] for t in tf if t in forms}, identity=identity, has_text=has_text)


def weigh(tf: dict[str, float], df: dict[str, int], docs: int, limit: int | None = MAX_TERMS) -> dict[str, float]:
    """Unit-length TF-IDF vector (sublinear tf), cut to the `limit` heaviest terms (None: all)."""
    log, frequency, top = math.log, df.get, docs + 1  # idf() written out: this runs for every article
    weights = {t: (1.0 + log(c)) * (log(top / (frequency(t, 0) + 1)) + IDF_FLOOR)
               for t, c in tf.items() if c > 0}
    if limit is not None and len(weights) > limit:
        cut = sorted(weights.values(), reverse=True)[limit - 1]  # a plain float sort first, as top_terms
        # then by (-weight, term) as tuples compared in C, not through a key function per term
        weights = {t: -w for w, t in sorted([(-w, t) for t, w in weights.items() if w >= cut])[:limit]}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {t: w / norm for t, w in weights.items()}


def idf(df: int, docs: int) -> float:
    """Smoothed IDF with a low floor: a word in every document keeps little weight, so long
    texts do not look alike through their function words (measured on the story pages:
    floor 1.0 merged eleven of fourteen stories, 0.3 none with embeddings)."""
    return math.log((docs + 1) / (df + 1)) + IDF_FLOOR
