"""Coefficients of the event similarity (a logistic regression), written by scripts/fit_similarity.py.

Reviewed like code: each weight is a feature's log-odds per unit (see similarity.FEATURES); the
intercept is the log-odds with no evidence. Fitted on ../shared/datasets (ECB+ dev, UCI dev,
Google News News-T, SemEval-2022 sample), each dataset weighing the same.
"""
EMBEDDING = {"intercept": -2.2, "terms": 9.229, "embedding": 5.17, "no_embedding": 2.808, "place_agree": 0.049, "place_conflict": 0.0, "terms_in_conflict": 0.0, "embedding_in_conflict": -1.287, "names": 0.733, "names_disjoint": -0.377, "numbers": 0.338, "no_identity": -0.71, "terms_no_identity": 1.59, "embedding_no_identity": 2.516, "time_gap": -18.296, "other_language": 0.221}
LEXICAL = {"intercept": -0.5, "terms": 12.326, "place_agree": 0.063, "place_conflict": -0.389, "terms_in_conflict": 0.0, "names": 0.662, "names_disjoint": -0.391, "numbers": 0.226, "no_identity": -0.436, "terms_no_identity": 5.335, "time_gap": -21.337, "other_language": 0.272}
