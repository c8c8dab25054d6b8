"""Coefficients of the event similarity (a logistic regression): reviewed like code.

Each weight is a feature's log-odds per unit (see similarity.FEATURES); the intercept is the
log-odds with no evidence. The base is the rule that already held the headline benchmarks (UCI,
Google News, SemEval en-en): TF-IDF and embedding cosines 50/50 against 0.25 (a words-only
side at 1.25x its cosine, i.e. `no_embedding` +2.5 at the typical cosine 0.2; TF-IDF alone
against 0.20), written as log-odds at slope 20, so p >= 0.5 is that rule and the merge
probability 0.982 its 0.45. On it sits the event evidence fitted by scripts/fit_similarity.py
(ECB+ dev, UCI dev, News-T, SemEval sample): shared names and numbers, and the embedding
discounted between two places (`embedding_in_conflict`); a confident where conflict vetoes in
the engine. Held at 0 where the free fit hurt a dataset it was not fitted on: its
per-regime intercepts and term/embedding slopes (story groups of long pages split: 8 of 14
whole; SemEval en-en 0.786), `names_disjoint` (same-story pages name different people: 10
of 14 whole) and `other_language`.
"""
EMBEDDING = {
    "intercept": -5.0,
    "terms": 10.0,
    "embedding": 10.0,
    "no_embedding": 2.5,
    "place_agree": 0.0,
    "place_conflict": 0.0,
    "terms_in_conflict": 0.0,
    "embedding_in_conflict": -0.993,
    "where_conflict": -0.191,
    "terms_where_conflict": 0.0,
    "names": 0.609,
    "names_disjoint": 0.0,
    "numbers": 0.392,
    "headline_only": 0.0,
    "terms_headline": 0.0,
    "embedding_headline": 0.0,
    "time_gap": 0.0,
    "other_language": 0.0,
}
LEXICAL = {
    "intercept": -5.0,
    "terms": 25.0,
    "place_agree": 0.0,
    "place_conflict": 0.0,
    "terms_in_conflict": 0.0,
    "where_conflict": -0.525,
    "terms_where_conflict": 0.0,
    "names": 0.618,
    "names_disjoint": 0.0,
    "numbers": 0.261,
    "headline_only": 0.0,
    "terms_headline": 0.0,
    "time_gap": 0.0,
    "other_language": 0.0,
}
