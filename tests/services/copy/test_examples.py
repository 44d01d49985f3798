import pytest

from ecom_ai_plugin.services.copy.examples import MIN_CATEGORY_DESCRIPTIONS, novel_words, shop_vocabulary
from tests.factories import make_product

pytestmark = pytest.mark.django_db


def _shop():
    garden = [make_product(f"Greenfurrow Tool {i}", category="Garden", description=f"Cuts branches cleanly, tool number {i}.") for i in range(MIN_CATEGORY_DESCRIPTIONS)]
    bath = [make_product(f"Pure Tide Brush {i}", category="Bath & Body", description="Gentle on your hair and scalp.") for i in range(MIN_CATEGORY_DESCRIPTIONS)]
    return garden, bath


def test_a_model_sentence_may_use_only_the_words_of_its_own_aisle():
    garden, _ = _shop()
    shears = make_product("Greenfurrow Bypass Pruning Shears", category="Garden", description="")
    words = shop_vocabulary(shears.category.name, exclude=str(shears.pk))
    assert {"cuts", "branches"} <= words
    assert {"your", "hair"} <= set(novel_words("They have cut your hair down to 20 mm.", words))
    assert not novel_words("It cuts branches cleanly.", words)
    assert "hair" in shop_vocabulary("Bath & Body")


def test_the_products_own_description_is_never_its_vocabulary():
    garden, _ = _shop()
    own = garden[0]
    own.description = "Forged from secateur steel."
    own.save()
    assert "secateur" not in shop_vocabulary("Garden", exclude=str(own.pk))
    assert "secateur" in shop_vocabulary("Garden")


def test_a_sparse_category_falls_back_to_the_whole_shop():
    _shop()
    make_product("Sonora Speaker", category="Audio", description="Loud and clear sound.")
    words = shop_vocabulary("Audio")
    assert {"branches", "hair", "loud"} <= words
