import threading

import pytest
from django.db import connection

from shop.models import Order, Product
from shop.orders import CheckoutError, PaymentError, pay_order, place_order

from .factories import OrderFactory, ProductFactory, UserFactory


@pytest.mark.django_db
def test_place_order_writes_order_lines_and_takes_stock():
    user = UserFactory()
    tent, mug = ProductFactory(stock=3, price="199.00"), ProductFactory(stock=10, price="18.50")

    order = place_order(user, "buyer@example.org", {tent.pk: 2, mug.pk: 1})

    assert order.status == Order.Status.PLACED and order.customer == user and order.email == "buyer@example.org"
    assert sorted((line.product_id, line.quantity, str(line.unit_price)) for line in order.lines.all()) == sorted(
        [(tent.pk, 2, "199.00"), (mug.pk, 1, "18.50")]
    )
    assert str(order.total) == "416.50"
    tent.refresh_from_db()
    mug.refresh_from_db()
    assert (tent.stock, mug.stock) == (1, 9)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("product_kwargs", "quantity", "message"),
    [
        ({"stock": 0}, 1, "out of stock"),
        ({"stock": 2}, 3, "Only 2"),
        ({"stock": 5, "is_published": False}, 1, "no longer available"),
        ({"stock": 5}, 0, "at least 1"),
        ({"stock": 5}, -2, "at least 1"),
    ],
)
def test_place_order_rejects_invalid_lines_and_writes_nothing(product_kwargs, quantity, message):
    product = ProductFactory(**product_kwargs)
    other = ProductFactory(stock=5)
    with pytest.raises(CheckoutError) as error:
        place_order(UserFactory(), "buyer@example.org", {other.pk: 1, product.pk: quantity})
    assert any(message in problem for problem in error.value.problems)
    assert Order.objects.count() == 0
    other.refresh_from_db()
    assert other.stock == 5


@pytest.mark.django_db
def test_place_order_rejects_unknown_products_and_empty_carts():
    with pytest.raises(CheckoutError, match="no longer available"):
        place_order(None, "guest@example.org", {987654: 1})
    with pytest.raises(CheckoutError, match="empty"):
        place_order(None, "guest@example.org", {})


@pytest.mark.django_db
def test_pay_order_marks_paid_once():
    order = OrderFactory()
    paid = pay_order(order.pk)
    assert paid.status == Order.Status.PAID and paid.paid_at is not None
    assert pay_order(order.pk).paid_at == paid.paid_at


@pytest.mark.django_db
def test_cancelled_orders_cannot_be_paid():
    order = OrderFactory(status=Order.Status.CANCELLED)
    with pytest.raises(PaymentError):
        pay_order(order.pk)
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and order.paid_at is None


@pytest.mark.django_db(transaction=True)
def test_two_buyers_cannot_both_take_the_last_item():
    """Row locks serialise concurrent checkouts: exactly one of them gets the item."""
    if connection.vendor == "sqlite":
        pytest.skip("needs a database with row locks")
    product = ProductFactory(stock=1)
    buyers = [UserFactory(), UserFactory()]
    start = threading.Barrier(len(buyers))
    outcomes: list[str] = []

    def buy(user) -> None:
        try:
            start.wait()
            place_order(user, user.email, {product.pk: 1})
            outcomes.append("placed")
        except CheckoutError:
            outcomes.append("rejected")
        finally:
            connection.close()

    threads = [threading.Thread(target=buy, args=(user,)) for user in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(outcomes) == ["placed", "rejected"]
    assert Product.objects.get(pk=product.pk).stock == 0
    assert Order.objects.count() == 1
