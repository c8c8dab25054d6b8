"""NMI and ARI as monitor eval computes them (scikit-learn left the install; the values below
are scikit-learn's own for the same labels: normalized_mutual_info_score, adjusted_rand_score)."""
import pytest

from monitor.cluster.evaluate import ari, nmi


@pytest.mark.parametrize(("pred", "gold", "want_nmi", "want_ari"), [
    ([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2], 0.5158037429793889, 0.24242424242424243),
    ([1, 1, 2, 2, 3, 3, 3], [5, 5, 5, 6, 6, 7, 7], 0.5636355530993447, 0.2125),
    ([0, 1, 2, 3], [0, 0, 0, 0], 0.0, 0.0),
])
def test_metrics_match_scikit_learn(pred, gold, want_nmi, want_ari):
    assert nmi(pred, gold) == pytest.approx(want_nmi, abs=1e-12)
    assert ari(pred, gold) == pytest.approx(want_ari, abs=1e-12)


def test_identical_labelings_score_one_whatever_the_names():
    assert nmi(["a", "a", "b"], [7, 7, 9]) == pytest.approx(1.0)
    assert ari(["a", "a", "b"], [7, 7, 9]) == pytest.approx(1.0)
