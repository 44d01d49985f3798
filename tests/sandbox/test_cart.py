import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from shop.cart import MAX_LINES, MAX_QUANTITY, SESSION_KEY, Cart, CartFull

from .factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_with_session():
    request = RequestFactory().get("/")
    request.session = SessionStore()
    return request


def test_add_accumulates_and_caps_quantity(request_with_session):
    product = ProductFactory()
    cart = Cart(request_with_session)
    cart.add(product, 2)
    cart.add(product, 3)
    assert cart.quantity_of(product.pk) == 5
    assert cart.add(product, 500) == MAX_QUANTITY
    assert len(cart) == MAX_QUANTITY


def test_cart_lives_in_the_session(request_with_session):
    product = ProductFactory()
    Cart(request_with_session).add(product, 2)
    assert request_with_session.session[SESSION_KEY] == {str(product.pk): 2}
    assert Cart(request_with_session).items() == {product.pk: 2}


def test_set_and_remove(request_with_session):
    first, second = ProductFactory(), ProductFactory()
    cart = Cart(request_with_session)
    cart.add(first, 1)
    cart.add(second, 1)
    cart.set(first.pk, 4)
    cart.set(second.pk, 0)
    assert cart.items() == {first.pk: 4}
    cart.remove(first.pk)
    assert not cart
    assert len(cart) == 0


def test_lines_skip_products_that_no_longer_exist(request_with_session):
    kept, gone = ProductFactory(price="2.50"), ProductFactory()
    cart = Cart(request_with_session)
    cart.add(kept, 2)
    cart.add(gone, 1)
    gone.delete()
    lines = cart.lines()
    assert [line.product for line in lines] == [kept]
    assert str(Cart.total(lines)) == "5.00"


def test_tampered_session_data_is_ignored(request_with_session):
    product = ProductFactory()
    request_with_session.session[SESSION_KEY] = {
        str(product.pk): 2,
        "abc": 1,
        str(product.pk + 1): -3,
        str(product.pk + 2): "many",
        str(product.pk + 3): 10**9,
    }
    assert Cart(request_with_session).items() == {product.pk: 2}
    request_with_session.session[SESSION_KEY] = ["not", "a", "dict"]
    assert Cart(request_with_session).items() == {}


def test_number_of_lines_is_limited(request_with_session):
    cart = Cart(request_with_session)
    products = ProductFactory.create_batch(MAX_LINES + 1)
    for product in products[:MAX_LINES]:
        cart.add(product, 1)
    with pytest.raises(CartFull):
        cart.add(products[-1], 1)
    cart.add(products[0], 1)  # an existing line can still grow
    assert cart.quantity_of(products[0].pk) == 2
