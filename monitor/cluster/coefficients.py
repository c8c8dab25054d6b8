"""Coefficients of the event similarity (a logistic regression), written by scripts/fit_similarity.py.

Reviewed like code: each weight is a feature's log-odds per unit (see similarity.FEATURES); the
intercept is the log-odds with no evidence. Fitted on ../shared/datasets (ECB+ dev, UCI dev,
Google News News-T, SemEval-2022 sample), each dataset weighing the same.
"""
EMBEDDING = {
    "intercept": -5.277,
    "terms": 9.547,
    "embedding": 4.245,
    "no_embedding": 2.588,
    "place_agree": 0.0,
    "place_conflict": 0.0,
    "terms_in_conflict": 0.0,
    "embedding_in_conflict": -0.993,
    "where_conflict": -0.191,
    "terms_where_conflict": 0.0,
    "names": 0.609,
    "names_disjoint": -0.5,
    "numbers": 0.392,
    "headline_only": 0.801,
    "terms_headline": 1.283,
    "embedding_headline": 3.819,
    "time_gap": 0.0,
    "other_language": 0.493,
}
LEXICAL = {
    "intercept": -3.193,
    "terms": 11.619,
    "place_agree": 0.068,
    "place_conflict": 0.0,
    "terms_in_conflict": 0.0,
    "where_conflict": -0.525,
    "terms_where_conflict": 0.0,
    "names": 0.618,
    "names_disjoint": -0.53,
    "numbers": 0.261,
    "headline_only": 0.183,
    "terms_headline": 8.012,
    "time_gap": 0.0,
    "other_language": 0.236,
}
