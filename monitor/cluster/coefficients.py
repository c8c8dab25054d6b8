"""Coefficients of the event similarity (a logistic regression), written by scripts/fit_similarity.py.

Reviewed like code: each weight is a feature's log-odds per unit (see similarity.FEATURES); the
intercept is the log-odds with no evidence. The intercept and the cosines' slopes are the old
rule's (TF-IDF and embedding 50/50 against 0.25, TF-IDF alone against 0.20, at slope 20; for an
article with a body its headline's embedding at 8 against the words' 10: the script's BASE);
the event evidence on top is fitted on ../shared/datasets (ECB+ dev, UCI dev,
Google News News-T, SemEval-2022 sample), each dataset weighing the same; the script's HELD
features stay 0 (its docstring says why).
"""
EMBEDDING = {
    "intercept": -5.0,
    "terms": 10.0,
    "embedding": 8.0,
    "no_embedding": 2.5,
    "place_agree": 0.068,
    "place_conflict": 0.0,
    "terms_in_conflict": 0.0,
    "embedding_in_conflict": -2.125,
    "where_conflict": 0.0,
    "terms_where_conflict": 0.0,
    "names": 0.674,
    "names_disjoint": 0.0,
    "core_missing": -0.408,
    "numbers": 0.408,
    "days_differ": 0.0,
    "embedding_days_differ": -2.484,
    "headline_only": 0.0,
    "embedding_text": -2.1,
    "terms_headline": 0.0,
    "embedding_headline": 2.0,
    "time_gap": 0.0,
    "other_language": 0.0,
    "embedding_closest": 5.695,
}
LEXICAL = {
    "intercept": -5.0,
    "terms": 25.0,
    "place_agree": 0.0,
    "place_conflict": 0.0,
    "terms_in_conflict": -1.336,
    "where_conflict": 0.0,
    "terms_where_conflict": 0.0,
    "names": 0.0,
    "names_disjoint": 0.0,
    "numbers": 0.0,
    "days_differ": -0.288,
    "headline_only": 0.0,
    "terms_headline": 0.0,
    "time_gap": 0.0,
    "other_language": 0.0,
}
