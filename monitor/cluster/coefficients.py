"""Coefficients of the event similarity (a logistic regression), written by scripts/fit_similarity.py.

Reviewed like code: each weight is a feature's log-odds per unit (see similarity.FEATURES); the
intercept is the log-odds with no evidence. Fitted on ../shared/datasets (ECB+ dev, UCI dev,
Google News News-T, SemEval-2022 sample), each dataset weighing the same.
"""
EMBEDDING = {"intercept": -4.758, "terms": 9.393, "embedding": 5.657, "no_embedding": 3.173, "place_agree": -0.664, "place_conflict": -1.063, "names": -0.198, "numbers": 0.033, "time_gap": -11.609, "other_language": -0.236}
LEXICAL = {"intercept": -2.799, "terms": 13.492, "place_agree": -0.531, "place_conflict": -1.064, "names": 0.11, "numbers": 0.089, "time_gap": -13.732, "other_language": 0.397}
