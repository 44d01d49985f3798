import numpy as np
import pytest

pytest.importorskip("scipy")

from ecom_ai_plugin.ml.recommender.copurchase import CoPurchase  # noqa: E402


def baskets():
    # 0 and 1 go together (3 customers); 0 and 2 once; 3 is everywhere (a best seller)
    return [np.array(b) for b in ([0, 1, 3], [0, 1, 3], [0, 1, 3], [0, 2, 3], [2, 3], [3], [4, 3], [4])]


def test_lift_and_customer_counts():
    model = CoPurchase(5, min_customers=2).fit(baskets())
    assert model.n_customers == 8
    # P(0,1) = 3/8, P(0) = 4/8, P(1) = 3/8 -> lift 2
    assert model.lift(0, 1) == pytest.approx(2.0)
    assert model.customers_of_pair(0, 1) == 3
    assert model.customers_of_pair(0, 2) == 0  # one customer only: under the minimum support
    related = model.related(0)
    assert [a.item for a in related] == [1, 3]
    assert related[0].customers == 3 and related[0].lift == pytest.approx(2.0)
    # the best seller co-occurs with everything but is no better than chance
    assert related[1].lift == pytest.approx(4 * 8 / (4 * 7))


def test_lower_support_admits_rarer_pairs():
    model = CoPurchase(5, min_customers=1).fit(baskets())
    assert 2 in [a.item for a in model.related(0)]
    assert model.related(0, k=1)[0].item == 1


def test_clear_errors():
    with pytest.raises(ValueError):
        CoPurchase(3, min_customers=0)
    with pytest.raises(RuntimeError, match="before fit"):
        CoPurchase(3).related(0)
    with pytest.raises(ValueError, match="No purchases"):
        CoPurchase(3).fit([np.array([], dtype=np.int64)])
