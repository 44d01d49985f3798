from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from shop.models import Order, OrderLine, Product

from .factories import OrderFactory, OrderLineFactory, ProductAttributeValueFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_attribute_map_groups_values_by_sorted_name():
    product = ProductFactory()
    for name, value in [("Size", "M"), ("Colour", "Olive"), ("Size", "L"), ("Weight", "1.2 kg")]:
        ProductAttributeValueFactory(product=product, name=name, value=value)

    assert product.attribute_map == {"Colour": ["Olive"], "Size": ["L", "M"], "Weight": ["1.2 kg"]}
    assert list(product.attribute_map) == ["Colour", "Size", "Weight"]


def test_attribute_map_of_product_without_attributes_is_empty():
    assert ProductFactory().attribute_map == {}


def test_attribute_map_uses_prefetched_values(django_assert_num_queries):
    product = ProductFactory()
    ProductAttributeValueFactory(product=product, name="Material", value="titanium")
    fetched = Product.objects.prefetch_related("attribute_values").get(pk=product.pk)

    with django_assert_num_queries(0):
        assert fetched.attribute_map == {"Material": ["titanium"]}


def test_attribute_values_are_unique_per_product():
    value = ProductAttributeValueFactory(name="Colour", value="Red")
    ProductAttributeValueFactory(product=value.product, name="Colour", value="Blue")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductAttributeValueFactory(product=value.product, name="Colour", value="Red")


def test_in_stock_follows_stock():
    assert ProductFactory(stock=1).in_stock
    assert not ProductFactory(stock=0).in_stock


def test_urls_use_slugs():
    product = ProductFactory(slug="titanium-mug")
    assert product.get_absolute_url() == "/p/titanium-mug/"
    assert product.category.get_absolute_url() == f"/c/{product.category.slug}/"


def test_order_total_sums_lines():
    order = OrderFactory()
    OrderLineFactory(order=order, quantity=2, unit_price=Decimal("10.50"))
    OrderLineFactory(order=order, quantity=1, unit_price=Decimal("3.99"))

    assert order.total == Decimal("24.99")
    assert OrderFactory().total == Decimal("0.00")


def test_order_created_at_can_be_set_for_history():
    import datetime

    moment = datetime.datetime(2024, 12, 24, 18, 30, tzinfo=datetime.timezone.utc)
    order = OrderFactory(created_at=moment)
    order.refresh_from_db()
    assert order.created_at == moment
    assert order.status == Order.Status.PLACED and order.paid_at is None


def test_lines_keep_their_name_when_the_product_is_deleted():
    line = OrderLineFactory(product_name="Old Tent")
    line.product.delete()
    line.refresh_from_db()
    assert line.product is None
    assert line.product_name == "Old Tent"


def test_orders_survive_their_customer():
    user = UserFactory()
    order = OrderFactory(customer=user)
    user.delete()
    order.refresh_from_db()
    assert order.customer is None
    assert Order.objects.filter(pk=order.pk).exists()
    assert OrderLine.objects.count() == 0
