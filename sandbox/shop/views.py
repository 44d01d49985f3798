"""Storefront, cart, checkout and account pages.

Every id or slug in a URL is looked up with a 404 fallback, every posted value
goes through a form, and bad input gets a 4xx page with the reason rather than
an error.
"""

from __future__ import annotations


from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ecom_ai_plugin.services.recommendations import tracking

from .cart import Cart, CartFull
from .forms import AddToCartForm, CartLineForm, CheckoutForm, SignupForm
from .models import Category, Order, OrderLine, Product
from .orders import CheckoutError, PaymentError, pay_order, place_order
from .pictures import product_svg
from .search import normalise_query, search_products

PRODUCTS_PER_PAGE = 24
ORDERS_PER_PAGE = 20
HOME_PRODUCTS = 12


def _visible_products(request: HttpRequest):
    """Published products, plus unpublished ones for staff previewing them."""
    products = Product.objects.select_related("category")
    if request.user.is_staff:
        return products
    return products.filter(is_published=True)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    newest = (
        Product.objects.filter(is_published=True)
        .select_related("category")
        .order_by("-created_at", "-pk")[:HOME_PRODUCTS]
    )
    categories = Category.objects.order_by("name")
    return render(request, "shop/home.html", {"products": newest, "categories": categories})


@require_GET
def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category, slug=slug)
    products = category.products.filter(is_published=True).select_related("category").order_by("name", "pk")
    page = Paginator(products, PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "shop/category.html", {"category": category, "page": page})


def _render_product(request: HttpRequest, product: Product, form: AddToCartForm, status: int = 200) -> HttpResponse:
    related = (
        Product.objects.filter(category=product.category_id, is_published=True)
        .exclude(pk=product.pk)
        .select_related("category")
        .order_by("-created_at", "-pk")[:4]
    )
    context = {
        "product": product,
        "attributes": product.attribute_map,
        "form": form,
        "in_cart": Cart(request).quantity_of(product.pk),
        "related": related,
    }
    return render(request, "shop/product.html", context, status=status)


@require_GET
def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(_visible_products(request).prefetch_related("attribute_values"), slug=slug)
    tracking.track(request, "view", str(product.pk))
    return _render_product(request, product, AddToCartForm())


SEARCH_PAGES = 10


@require_GET
def product_image(request: HttpRequest, slug: str) -> HttpResponse:
    """The product's drawn picture (SVG), cached by browsers for a day."""
    product = get_object_or_404(Product.objects.select_related("category").prefetch_related("attribute_values"), slug=slug)
    response = HttpResponse(product_svg(product.name, product.category.slug, product.attribute_map), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    # opened on its own, the picture may run nothing
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = normalise_query(request.GET.get("q"))
    skip = [code for code in request.GET.get("skip", "").split(",") if code][:10]
    category = request.GET.get("category", "")[:255]
    page_number = request.GET.get("page", "1")
    page_number = int(page_number) if page_number.isdigit() and 1 <= int(page_number) <= SEARCH_PAGES else 1
    result, products = search_products(query, skip=skip, category=category, limit=PRODUCTS_PER_PAGE, offset=(page_number - 1) * PRODUCTS_PER_PAGE)
    if (query or category) and page_number == 1:
        tracking.track_search(request, query or category, [str(product.pk) for product in products])
    chips = []
    for item in result.filters:
        params = request.GET.copy()
        params.pop("page", None)
        if item.kind == "category" and category:
            params.pop("category", None)
        else:
            params["skip"] = ",".join([*skip, item.code])
        chips.append({"label": item.label(result.hits[0].currency if result.hits else None), "code": item.code, "url": f"?{params.urlencode()}"})
    pages = min(SEARCH_PAGES, (result.total + PRODUCTS_PER_PAGE - 1) // PRODUCTS_PER_PAGE)
    context = {
        "query": query,
        "result": result,
        "products": products,
        "chips": chips,
        "page_number": page_number,
        "previous_page": page_number - 1 if page_number > 1 else None,
        "next_page": page_number + 1 if page_number < pages else None,
    }
    return render(request, "shop/search.html", context)


# -- cart -------------------------------------------------------------------


def _render_cart(request: HttpRequest, errors: dict[int, list[str]] | None = None, status: int = 200) -> HttpResponse:
    cart = Cart(request)
    lines = cart.lines()
    rows = [
        {
            "line": line,
            "form": CartLineForm(initial={"quantity": line.quantity}, prefix=f"line-{line.product.pk}"),
            "errors": (errors or {}).get(line.product.pk, []),
        }
        for line in lines
    ]
    context = {"rows": rows, "total": Cart.total(lines), "cart_products": [line.product for line in lines]}
    return render(request, "shop/cart.html", context, status=status)


@require_GET
def cart_detail(request: HttpRequest) -> HttpResponse:
    return _render_cart(request)


@require_POST
def cart_add(request: HttpRequest, product_id: int) -> HttpResponse:
    product = get_object_or_404(
        Product.objects.filter(is_published=True).select_related("category").prefetch_related("attribute_values"),
        pk=product_id,
    )
    form = AddToCartForm(request.POST)
    if not form.is_valid():
        return _render_product(request, product, form, status=400)
    cart = Cart(request)
    wanted = cart.quantity_of(product.pk) + form.cleaned_data["quantity"]
    if not product.in_stock:
        form.add_error("quantity", "Sorry, this product is out of stock.")
    elif wanted > product.stock:
        form.add_error(
            "quantity", f"Only {product.stock} in stock (you already have {cart.quantity_of(product.pk)} in your cart)."
        )
    if form.errors:
        return _render_product(request, product, form, status=409)
    try:
        cart.add(product, form.cleaned_data["quantity"])
    except CartFull:
        form.add_error(None, "Your cart is full; check out or remove something first.")
        return _render_product(request, product, form, status=409)
    tracking.track(request, "add_to_cart", str(product.pk))
    messages.success(request, f"Added {form.cleaned_data['quantity']} × {product.name} to your cart.")
    return redirect("shop:cart")


@require_POST
def cart_update(request: HttpRequest, product_id: int) -> HttpResponse:
    cart = Cart(request)
    if not cart.quantity_of(product_id):
        return _render_cart(request, status=404)
    form = CartLineForm(request.POST, prefix=f"line-{product_id}")
    if not form.is_valid():
        return _render_cart(request, errors={product_id: form.errors.get("quantity", [])}, status=400)
    cart.set(product_id, form.cleaned_data["quantity"])
    messages.success(request, "Cart updated.")
    return redirect("shop:cart")


@require_POST
def cart_remove(request: HttpRequest, product_id: int) -> HttpResponse:
    Cart(request).remove(product_id)
    messages.success(request, "Removed from your cart.")
    return redirect("shop:cart")


# -- checkout and account -----------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest) -> HttpResponse:
    cart = Cart(request)
    lines = cart.lines()
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        form = CheckoutForm(request.POST)
        if not lines:
            problems, status = ["Your cart is empty."], 400
        elif not form.is_valid():
            status = 400
        else:
            try:
                order = place_order(request.user, form.cleaned_data["email"], cart.items())
            except CheckoutError as error:
                problems, status = error.problems, 409
            else:
                cart.clear()
                messages.success(request, f"Thank you! Order #{order.pk} has been placed.")
                return redirect(order.get_absolute_url())
    else:
        form = CheckoutForm(initial={"email": request.user.email})
    context = {"form": form, "lines": lines, "total": Cart.total(lines), "problems": problems}
    return render(request, "shop/checkout.html", context, status=status)


def _own_order(request: HttpRequest, pk: int) -> Order:
    lines = Prefetch("lines", queryset=OrderLine.objects.select_related("product"))
    return get_object_or_404(Order.objects.prefetch_related(lines), pk=pk, customer=request.user)


@login_required
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    orders = request.user.orders.prefetch_related("lines").order_by("-created_at", "-pk")
    page = Paginator(orders, ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "shop/account.html", {"page": page})


@login_required
@require_GET
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "shop/order_detail.html", {"order": _own_order(request, pk)})


@login_required
@require_POST
def order_pay(request: HttpRequest, pk: int) -> HttpResponse:
    order = _own_order(request, pk)
    try:
        pay_order(order.pk)
    except PaymentError as error:
        messages.error(request, str(error))
        return render(request, "shop/order_detail.html", {"order": order}, status=409)
    messages.success(request, f"Payment received for order #{order.pk}.")
    return redirect(order.get_absolute_url())


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    if request.user.is_authenticated:
        return redirect(next_url or reverse("shop:account"))
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        messages.success(request, f"Welcome, {user.get_username()}!")
        return redirect(next_url or reverse("shop:account"))
    status = 400 if request.method == "POST" else 200
    return render(request, "registration/signup.html", {"form": form, "next": next_url}, status=status)
