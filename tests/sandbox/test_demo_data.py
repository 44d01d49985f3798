import datetime
import re
import time
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from ecom_ai_plugin.models import Review
from shop.demo_catalog import ATTRIBUTE_SENTENCES, CATEGORIES
from shop.demo_orders import COMPLEMENTS, SEASONS
from shop.demo_products import build_products
from shop.demo_shoppers import PERSONAS
from shop.models import Category, Order, OrderLine, Product

SMALL = {"products": 60, "customers": 40, "orders": 300, "until": "2025-06-01", "seed": 7}


def run(**options) -> str:
    from io import StringIO

    out = StringIO()
    call_command("shop_demo_data", stdout=out, **options)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "products": list(
            Product.objects.order_by("name").values_list("name", "price", "stock", "is_published", "description")
        ),
        "orders": Order.objects.count(),
        "statuses": Counter(Order.objects.values_list("status", flat=True)),
        "lines": OrderLine.objects.count(),
        "first_orders": list(Order.objects.order_by("created_at", "pk").values_list("email", "created_at")[:50]),
        "reviews": list(Review.objects.order_by("created_at", "text").values_list("rating", "text")),
    }


# -- the catalogue data itself (no database) --------------------------------------


def test_catalogue_data_is_consistent():
    kinds = {family.kind for category in CATEGORIES for family in category.families}
    slugs = {category.slug for category in CATEGORIES}
    assert len(CATEGORIES) >= 8
    assert set(COMPLEMENTS) <= kinds and {k for ks in COMPLEMENTS.values() for k in ks} <= kinds
    assert set(SEASONS) <= slugs
    assert {slug for weights in PERSONAS.values() for slug in weights} <= slugs
    attribute_names = set()
    for category in CATEGORIES:
        for family in category.families:
            attribute_names |= set(family.fixed) | set(family.extras)
            for options in family.parts.values():
                for option in options:
                    attribute_names |= set(option.attributes)
    assert attribute_names <= set(ATTRIBUTE_SENTENCES), attribute_names - set(ATTRIBUTE_SENTENCES)


def test_product_generation_is_deterministic():
    first, again, other = build_products(240, 42), build_products(240, 42), build_products(240, 43)
    assert [p.name for p in first] == [p.name for p in again]
    assert [p.description for p in first] == [p.description for p in again]
    assert [p.name for p in first] != [p.name for p in other]
    assert len({p.name for p in first}) == len({p.slug for p in first}) == 240


def test_descriptions_never_contradict_attributes():
    """A description may only name attribute values the product really has."""
    families = {family.kind: family for category in CATEGORIES for family in category.families}
    for product in build_products(240, 42):
        if not product.description:
            continue
        family = families[product.kind]
        text = product.description
        for tip in family.tips:  # fixed advice, true for every product of the family
            text = text.replace(tip, "")
        alternatives: dict[str, set[str]] = {}
        for options in family.parts.values():
            for option in options:
                for name, value in option.attributes.items():
                    alternatives.setdefault(name, set()).update(value if isinstance(value, tuple) else (value,))
        for name, choices in family.extras.items():
            for value in choices:
                alternatives.setdefault(name, set()).update(value if isinstance(value, tuple) else (value,))
        own_values = [value for values in product.attributes.values() for value in values]
        for name, values in alternatives.items():
            for other in values - set(product.attributes.get(name, ())):
                if any(other in mine for mine in own_values):
                    continue  # "dark" roast vs. the product's own "dark cocoa" tasting note
                pattern = rf"(?<![\w-]){re.escape(other)}(?![\w-])"
                assert not re.search(pattern, text), (product.name, name, other, product.description)


def test_about_seventy_percent_have_descriptions():
    products = build_products(240, 42)
    share = sum(1 for p in products if p.description) / len(products)
    assert 0.6 <= share <= 0.8


# -- the command ---------------------------------------------------------------------


@pytest.mark.django_db
def test_small_run_creates_a_consistent_shop():
    output = run(**SMALL)
    user_model = get_user_model()

    assert Category.objects.count() == len(CATEGORIES)
    assert Product.objects.count() == 60
    assert Product.objects.filter(description="").exists() and Product.objects.exclude(description="").exists()
    assert all(product.attribute_values.exists() for product in Product.objects.all())
    assert Order.objects.count() == 300
    assert Order.objects.filter(customer=None).exists()
    assert set(Order.objects.values_list("status", flat=True)) <= {"placed", "paid", "cancelled"}
    assert not Order.objects.filter(status="paid", paid_at=None).exists()
    assert not Order.objects.filter(lines=None).exists()
    until = datetime.datetime(2025, 6, 1, tzinfo=datetime.timezone.utc)
    assert Order.objects.order_by("-created_at").first().created_at <= until
    assert Order.objects.order_by("created_at").first().created_at >= until - datetime.timedelta(days=550)

    customers = user_model.objects.filter(is_staff=False)
    assert customers.count() == 41  # 40 + the demo login
    demo = user_model.objects.get(username="demo")
    assert demo.check_password("demo12345") and demo.orders.exists()
    assert not user_model.objects.get(
        username=customers.exclude(username="demo").first().username
    ).has_usable_password()
    admin = user_model.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("admin12345")

    reviews = Review.objects.all()
    assert reviews.count() == 150
    assert set(reviews.values_list("status", flat=True)) == {"approved"}
    assert all(reviews.values_list("verified_purchase", flat=True))
    pairs = list(reviews.values_list("product_key", "customer_key"))
    assert len(pairs) == len(set(pairs))
    bought = {
        (str(product), str(customer))
        for product, customer in OrderLine.objects.filter(order__status="paid").values_list(
            "product_id", "order__customer_id"
        )
    }
    assert set(pairs) <= bought
    assert reviews.filter(language="zh").exists()
    assert "demo / demo12345" in output and "admin / admin12345" in output
    assert "Done in" in output and "300 orders" in output


@pytest.mark.django_db
def test_same_seed_same_shop_and_flush():
    run(**SMALL)
    first = snapshot()
    with pytest.raises(CommandError, match="--flush"):
        run(**SMALL)
    run(flush=True, **SMALL)
    assert snapshot() == first
    run(flush=True, **{**SMALL, "seed": 8})
    assert snapshot()["products"] != first["products"]
    assert get_user_model().objects.filter(username="admin").count() == 1


@pytest.mark.django_db
def test_flush_keeps_other_accounts_and_reviews():
    user_model = get_user_model()
    staff = user_model.objects.create_user("shopkeeper", "keeper@example.com", "pw-12345678", is_staff=True)
    outsider = user_model.objects.create_user("outsider", "someone@elsewhere.org", "pw-12345678")
    foreign_review = Review.objects.create(product_key="other-shop-1", customer_key="x", rating=5, text="Fine.")
    run(**SMALL)
    run(flush=True, **SMALL)
    assert user_model.objects.filter(pk__in=[staff.pk, outsider.pk]).count() == 2
    assert Review.objects.filter(pk=foreign_review.pk).exists()


@pytest.mark.django_db
def test_full_size_run_meets_the_minimums():
    started = time.monotonic()
    run()
    elapsed = time.monotonic() - started
    assert Product.objects.count() >= 200
    assert Category.objects.filter(products__isnull=False).distinct().count() >= 8
    assert get_user_model().objects.filter(is_staff=False).count() >= 300
    assert Order.objects.count() >= 3000
    assert Review.objects.count() >= 1500
    assert 20 <= Review.objects.filter(language="zh").count() <= 40
    ratings = Counter(Review.objects.values_list("rating", flat=True))
    assert ratings[5] > ratings[4] > ratings[3] and ratings[5] > ratings[1]
    guests = Order.objects.filter(customer=None).count() / Order.objects.count()
    assert 0.03 <= guests <= 0.07
    assert Product.objects.filter(stock=0).exists() and Product.objects.filter(is_published=False).exists()
    assert elapsed < 60
