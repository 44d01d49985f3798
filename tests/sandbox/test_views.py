from decimal import Decimal

import pytest
from django.urls import reverse

from ecom_ai_plugin.services.search.documents import index_products
from shop.cart import SESSION_KEY
from tests.search_data import requires_search, fresh_search_index  # noqa: F401  (autouse)
from shop.models import Order

from .factories import (
    PASSWORD,
    CategoryFactory,
    OrderFactory,
    OrderLineFactory,
    ProductAttributeValueFactory,
    ProductFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script>'


@pytest.fixture
def user():
    return UserFactory()


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


def add_to_cart(client, product, quantity=1):
    return client.post(reverse("shop:cart_add", args=[product.pk]), {"quantity": quantity})


# -- storefront -------------------------------------------------------------------


def test_home_lists_newest_published_products(client):
    shown = ProductFactory(name="Titanium Camping Mug")
    hidden = ProductFactory(name="Secret Prototype", is_published=False)
    response = client.get("/")
    assert response.status_code == 200
    assert shown in response.context["products"]
    assert hidden not in response.context["products"]
    html = response.content.decode()
    assert "Sandbox Shop" in html and shown.category.name in html
    assert 'action="/search/"' in html and "Cart (0)" in html


def test_category_page_is_paginated(client):
    category = CategoryFactory(name="Garden")
    ProductFactory.create_batch(30, category=category)
    first = client.get(category.get_absolute_url())
    second = client.get(category.get_absolute_url(), {"page": 2})
    assert first.status_code == second.status_code == 200
    assert len(first.context["page"]) == 24 and len(second.context["page"]) == 6
    for bad_page in ("abc", "-1", "9" * 5000, "999"):
        assert client.get(category.get_absolute_url(), {"page": bad_page}).status_code == 200


def test_product_page_shows_details(client):
    product = ProductFactory(
        name="Ultralight 2-Person Backpacking Tent", price=Decimal("249.00"), stock=4, description="Light.\n\nStrong."
    )
    ProductAttributeValueFactory(product=product, name="Weight", value="1.2 kg")
    ProductAttributeValueFactory(product=product, name="Colour", value="Olive")
    response = client.get(product.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ultralight 2-Person Backpacking Tent" in html and "249.00 EUR" in html
    assert "In stock (4 available)" in html
    assert '<th scope="row">Weight</th><td>1.2 kg</td>' in html
    assert "<p>Light.</p>" in html and "<p>Strong.</p>" in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_out_of_stock_product_cannot_be_added(client):
    product = ProductFactory(stock=0)
    assert "Out of stock" in client.get(product.get_absolute_url()).content.decode()
    response = add_to_cart(client, product)
    assert response.status_code == 409
    assert "out of stock" in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/c/no-such-category/", "/p/no-such-product/", "/p/%3Cscript%3E/", "/c/" + "a" * 5000 + "/"]
)
def test_unknown_slugs_are_404(client, url):
    assert client.get(url).status_code == 404


def test_unpublished_product_is_hidden_from_shoppers_but_not_staff(client):
    product = ProductFactory(is_published=False)
    assert client.get(product.get_absolute_url()).status_code == 404
    client.force_login(UserFactory(is_staff=True))
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200 and "Not published" in response.content.decode()


@requires_search
def test_search_page(client):
    ProductFactory(name="Gooseneck Kettle")
    ProductFactory(name="Chef's Knife")
    index_products()
    response = client.get("/search/", {"q": "kettel"})
    assert response.status_code == 200
    assert [p.name for p in response.context["products"]] == ["Gooseneck Kettle"]
    assert "1 result for" in response.content.decode() and "Showing results for “kettle”" in response.content.decode()
    assert client.get("/search/").status_code == 200
    assert client.get("/search/", {"q": "x" * 100_000}).status_code == 200


def test_user_text_is_escaped_everywhere(client):
    category = CategoryFactory(name=f"Cat {XSS}")
    product = ProductFactory(name=f"Mug {XSS}", description=f"Nice {XSS}", category=category)
    ProductAttributeValueFactory(product=product, name=f"Name {XSS}", value=f"Value {XSS}")
    add_to_cart(client, product)
    pages = [
        "/",
        category.get_absolute_url(),
        product.get_absolute_url(),
        "/search/?q=mug",
        "/cart/",
        f"/search/?q={XSS}",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert XSS not in html, url
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in client.get(product.get_absolute_url()).content.decode()
    )


# -- cart ------------------------------------------------------------------------------


def test_add_to_cart_and_see_it(client):
    product = ProductFactory(name="Trail Running Socks", price=Decimal("12.00"), stock=10)
    response = add_to_cart(client, product, 2)
    assert response.status_code == 302 and response["Location"] == "/cart/"
    assert client.session[SESSION_KEY] == {str(product.pk): 2}
    cart = client.get("/cart/")
    assert "Trail Running Socks" in cart.content.decode() and "24.00" in cart.content.decode()
    assert "Cart (2)" in client.get("/").content.decode()


@pytest.mark.parametrize("quantity", ["0", "-1", "abc", "", "1.5", "100", "9" * 5000])
def test_bad_quantities_are_400(client, quantity):
    product = ProductFactory(stock=500)
    response = add_to_cart(client, product, quantity)
    assert response.status_code == 400
    assert SESSION_KEY not in client.session or not client.session[SESSION_KEY]


def test_cannot_add_more_than_stock(client):
    product = ProductFactory(stock=3)
    assert add_to_cart(client, product, 2).status_code == 302
    response = add_to_cart(client, product, 2)
    assert response.status_code == 409
    assert "Only 3 in stock" in response.content.decode()
    assert client.session[SESSION_KEY] == {str(product.pk): 2}


def test_add_to_cart_needs_post_and_a_known_published_product(client):
    product = ProductFactory()
    assert client.get(reverse("shop:cart_add", args=[product.pk])).status_code == 405
    assert client.post("/cart/add/99999999/", {"quantity": 1}).status_code == 404
    assert client.post("/cart/add/99999999999999999999999/", {"quantity": 1}).status_code == 404
    assert client.post("/cart/add/abc/", {"quantity": 1}).status_code == 404
    hidden = ProductFactory(is_published=False)
    assert add_to_cart(client, hidden).status_code == 404


def test_update_and_remove_cart_lines(client):
    product = ProductFactory(stock=10)
    add_to_cart(client, product, 1)
    url = reverse("shop:cart_update", args=[product.pk])
    assert client.post(url, {f"line-{product.pk}-quantity": 5}).status_code == 302
    assert client.session[SESSION_KEY] == {str(product.pk): 5}
    assert client.post(url, {f"line-{product.pk}-quantity": "lots"}).status_code == 400
    assert client.post(url, {f"line-{product.pk}-quantity": -4}).status_code == 400
    assert client.post(reverse("shop:cart_update", args=[product.pk + 1]), {"quantity": 1}).status_code == 404
    assert client.post(url, {f"line-{product.pk}-quantity": 0}).status_code == 302
    assert client.session[SESSION_KEY] == {}
    add_to_cart(client, product, 1)
    assert client.post(reverse("shop:cart_remove", args=[product.pk])).status_code == 302
    assert client.session[SESSION_KEY] == {}


# -- checkout --------------------------------------------------------------------------


def test_checkout_requires_login(client):
    response = client.get("/checkout/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/checkout/")


def test_checkout_places_order_and_decrements_stock(logged_in, user):
    tent = ProductFactory(stock=5, price=Decimal("199.00"))
    socks = ProductFactory(stock=2, price=Decimal("12.00"))
    add_to_cart(logged_in, tent, 1)
    add_to_cart(logged_in, socks, 2)
    page = logged_in.get("/checkout/")
    assert page.status_code == 200 and page.context["form"].initial["email"] == user.email

    response = logged_in.post("/checkout/", {"email": "me@example.org"})

    order = Order.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/account/orders/{order.pk}/"
    assert order.customer == user and order.email == "me@example.org" and order.status == "placed"
    assert {(line.product_id, line.quantity) for line in order.lines.all()} == {(tent.pk, 1), (socks.pk, 2)}
    assert order.total == Decimal("223.00")
    tent.refresh_from_db()
    socks.refresh_from_db()
    assert (tent.stock, socks.stock) == (4, 0)
    assert logged_in.session[SESSION_KEY] == {}
    assert "Thank you" in logged_in.get(response["Location"]).content.decode()


def test_checkout_rejects_stock_that_ran_out_after_adding(logged_in):
    product = ProductFactory(name="Last Headlamp", stock=2)
    add_to_cart(logged_in, product, 2)
    product.stock = 1
    product.save()
    response = logged_in.post("/checkout/", {"email": "me@example.org"})
    assert response.status_code == 409
    assert "Only 1 of “Last Headlamp” left" in response.content.decode()
    assert Order.objects.count() == 0
    product.refresh_from_db()
    assert product.stock == 1


def test_checkout_rejects_products_withdrawn_after_adding(logged_in):
    product = ProductFactory(name="Withdrawn Stove", stock=2)
    add_to_cart(logged_in, product, 1)
    product.is_published = False
    product.save()
    response = logged_in.post("/checkout/", {"email": "me@example.org"})
    assert response.status_code == 409
    assert "no longer available" in response.content.decode()
    assert Order.objects.count() == 0


def test_checkout_rejects_sold_out_products(logged_in):
    product = ProductFactory(stock=1)
    add_to_cart(logged_in, product, 1)
    product.stock = 0
    product.save()
    assert logged_in.post("/checkout/", {"email": "me@example.org"}).status_code == 409


def test_checkout_with_empty_cart_or_bad_email_is_400(logged_in):
    assert logged_in.get("/checkout/").status_code == 200
    assert logged_in.post("/checkout/", {"email": "me@example.org"}).status_code == 400
    add_to_cart(logged_in, ProductFactory())
    response = logged_in.post("/checkout/", {"email": "not-an-email"})
    assert response.status_code == 400 and response.context["form"].errors["email"]
    assert Order.objects.count() == 0


# -- account and orders ----------------------------------------------------------------


def test_account_requires_login(client):
    assert client.get("/account/").status_code == 302


def test_account_lists_only_own_orders(logged_in, user):
    mine = OrderLineFactory(order__customer=user).order
    theirs = OrderLineFactory().order
    response = logged_in.get("/account/")
    assert response.status_code == 200
    assert list(response.context["page"]) == [mine]
    assert f"#{theirs.pk}<" not in response.content.decode()


def test_order_detail_is_private(logged_in, user):
    mine = OrderLineFactory(order__customer=user, product_name="My Mug").order
    theirs = OrderLineFactory(product_name="Their Tent").order
    response = logged_in.get(f"/account/orders/{mine.pk}/")
    assert response.status_code == 200 and "My Mug" in response.content.decode()
    assert logged_in.get(f"/account/orders/{theirs.pk}/").status_code == 404
    assert logged_in.get("/account/orders/abc/").status_code == 404
    assert logged_in.get("/account/orders/99999999999999999999999/").status_code == 404


def test_guest_orders_are_nobodys(logged_in):
    guest_order = OrderFactory(customer=None)
    assert logged_in.get(f"/account/orders/{guest_order.pk}/").status_code == 404


def test_owner_can_pay_placed_order(logged_in, user):
    order = OrderLineFactory(order__customer=user).order
    assert "Pay now" in logged_in.get(order.get_absolute_url()).content.decode()
    url = reverse("shop:order_pay", args=[order.pk])
    assert logged_in.get(url).status_code == 405

    response = logged_in.post(url)

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "paid" and order.paid_at is not None
    paid_at = order.paid_at
    assert logged_in.post(url).status_code == 302
    order.refresh_from_db()
    assert order.paid_at == paid_at


def test_others_cannot_pay_an_order(client, logged_in):
    order = OrderFactory()
    url = reverse("shop:order_pay", args=[order.pk])
    assert logged_in.post(url).status_code == 404
    order.refresh_from_db()
    assert order.status == "placed"
    client.logout()
    assert client.post(url).status_code == 302  # to the login page


def test_cancelled_order_cannot_be_paid(logged_in, user):
    order = OrderFactory(customer=user, status=Order.Status.CANCELLED)
    response = logged_in.post(reverse("shop:order_pay", args=[order.pk]))
    assert response.status_code == 409
    order.refresh_from_db()
    assert order.status == "cancelled" and order.paid_at is None


# -- accounts -------------------------------------------------------------------------------


def test_signup_creates_account_and_logs_in(client, django_user_model):
    assert client.get("/accounts/signup/").status_code == 200
    response = client.post(
        "/accounts/signup/",
        {
            "username": "newbie",
            "email": "newbie@example.org",
            "password1": "a-long-pass-123",
            "password2": "a-long-pass-123",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/account/"
    user = django_user_model.objects.get(username="newbie")
    assert user.email == "newbie@example.org" and user.check_password("a-long-pass-123")
    assert client.get("/account/").status_code == 200


def test_signup_rejects_duplicate_email_and_bad_next(client, user):
    response = client.post(
        "/accounts/signup/?next=https://evil.example/",
        {
            "username": "other",
            "email": user.email.upper(),
            "password1": "a-long-pass-123",
            "password2": "a-long-pass-123",
        },
    )
    assert response.status_code == 400 and "already exists" in response.content.decode()
    response = client.post(
        "/accounts/signup/?next=https://evil.example/",
        {
            "username": "other",
            "email": "other@example.org",
            "password1": "a-long-pass-123",
            "password2": "a-long-pass-123",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/account/"


def test_login_page_and_logout(client, user):
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and "Log in" in page.content.decode()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD, "next": "/account/"})
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert "Log out" in client.get("/").content.decode()
    client.post("/accounts/logout/", {"next": "/"})
    assert client.get("/account/").status_code == 302


# -- admin -----------------------------------------------------------------------------------


def test_admin_pages_render(admin_client):
    product = ProductFactory()
    ProductAttributeValueFactory(product=product)
    order = OrderLineFactory(product=product).order
    for url in [
        "/admin/shop/category/",
        "/admin/shop/product/",
        "/admin/shop/product/?is_published__exact=0",
        f"/admin/shop/product/?category__id__exact={product.category_id}",
        "/admin/shop/product/?q=Product",
        f"/admin/shop/product/{product.pk}/change/",
        "/admin/shop/product/add/",
        "/admin/shop/order/",
        "/admin/shop/order/?status__exact=placed",
        f"/admin/shop/order/{order.pk}/change/",
    ]:
        assert admin_client.get(url).status_code == 200, url


# -- what a served sandbox looks like ---------------------------------------------


def test_debug_is_off_by_default_and_a_missing_page_is_the_shops_404(client):
    import sandbox.settings

    assert sandbox.settings.DEBUG is False or __import__("os").environ.get("SANDBOX_DEBUG") == "1"
    response = client.get("/no/such/page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html and "Back to the shop" in html and "Sandbox Shop" in html
    assert "URLconf" not in html and "DEBUG" not in html


def test_a_server_error_page_of_its_own():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong" in html and "shop/favicon.svg" in html


def test_a_favicon_on_every_page(client):
    assert 'rel="icon" href="/static/shop/favicon.svg"' in client.get("/").content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/shop/favicon.svg"


def test_totals_show_their_currency_and_dates_one_format(logged_in, user):
    import datetime

    from django.utils import timezone

    product = ProductFactory(name="Enamel Mug", price=Decimal("12.50"), stock=5)
    add_to_cart(logged_in, product, 2)
    cart = logged_in.get("/cart/").content.decode()
    assert "<th>25.00 EUR</th>" in cart and "<td>25.00 EUR</td>" in cart and "12.50 EUR" in cart
    assert "<th>25.00 EUR</th>" in logged_in.get("/checkout/").content.decode()
    placed = timezone.make_aware(datetime.datetime(2026, 3, 4, 9, 5))
    order = OrderLineFactory(order__customer=user, order__created_at=placed, product=product, quantity=3, unit_price=Decimal("12.50")).order
    detail = logged_in.get(order.get_absolute_url()).content.decode()
    assert "<th>37.50 EUR</th>" in detail and "Placed 4 Mar 2026, 09:05" in detail
    account = logged_in.get("/account/").content.decode()
    assert "<td>37.50 EUR</td>" in account and "4 Mar 2026, 09:05" in account


def test_every_product_has_a_picture(client):
    product = ProductFactory(name="Titanium Camping Mug 450 ml")
    ProductAttributeValueFactory(product=product, name="Colour", value="Forest Green")
    page = client.get(product.get_absolute_url()).content.decode()
    assert f'src="/p/{product.slug}/picture.svg"' in page
    assert f'src="/p/{product.slug}/picture.svg"' in client.get("/").content.decode()  # the cards too
    response = client.get(f"/p/{product.slug}/picture.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "#2f5d3a" in response.content.decode()  # forest green
    assert client.get("/p/no-such-product/picture.svg").status_code == 404
