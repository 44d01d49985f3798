"""``{% recommendations %}``: explained items, the most specific template first, and the sandbox pages."""
import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory, override_settings

from ecom_ai_plugin.widgets.recommendations import template_names
from tests.recommendation_shop import make_shop
from tests.recommendation_data import empty_cache  # noqa: F401  (autouse)
from tests.conftest import requires_models

pytestmark = [pytest.mark.django_db, requires_models]  # lists are built by training


@pytest.fixture
def shop():
    return make_shop()


def render(source, **context):
    request = context.pop("request", None) or RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = getattr(request, "user", None) or AnonymousUser()
    return Template("{% load ecom_ai %}" + source).render(Context({"request": request, **context}))


def override_templates(tmp_path, files):
    for name, text in files.items():
        path = tmp_path / "ecom_ai_plugin" / "recommendations" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    engine = {**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}
    return override_settings(TEMPLATES=[engine])


def test_the_default_widget_shows_each_item_with_its_explanation(shop):
    html = render('{% recommendations "bought_together" product=product limit=3 %}', product=shop.products["Ethiopia Beans"])
    assert html.count("data-ecom-ai-item") == 3
    assert "Frequently bought together" in html
    assert "Enamel Mug" in html and "4 customers bought both" in html
    assert 'data-strategy="copurchase"' in html and 'data-position="1"' in html
    assert 'data-events="/ai/api/recommendations/events/"' in html
    assert "ecom_ai_plugin/recommendations.js" in html
    mug = shop.products["Enamel Mug"]
    assert f'<img src="/p/{mug.slug}/picture.svg" alt="" loading="lazy">' in html, "each item shows its picture"


def test_a_product_key_works_like_the_product_and_exclude_takes_products(shop):
    beans = shop.products["Ethiopia Beans"]
    by_key = render('{% recommendations "similar" product=key limit=4 %}', key=str(beans.pk))
    by_object = render('{% recommendations "similar" product=product limit=4 %}', product=beans)
    assert by_key == by_object
    mug = shop.products["Enamel Mug"]
    html = render('{% recommendations "bought_together" product=product exclude=cart limit=4 %}', product=beans, cart=[mug])
    assert "Enamel Mug" not in html and html.count("data-ecom-ai-item") == 4


@pytest.mark.parametrize(
    "files,kwargs,expected",
    [
        ({}, "", "ecom-ai-recommendations--similar"),  # the packaged widget.html
        ({"widget.html": "GENERIC"}, "", "GENERIC"),
        ({"widget.html": "GENERIC", "similar.html": "SIMILAR"}, "", "SIMILAR"),
        ({"similar.html": "SIMILAR", "product/similar.html": "PRODUCT PAGE"}, ' placement="product"', "PRODUCT PAGE"),
        ({"similar.html": "SIMILAR", "product/similar.html": "PRODUCT PAGE"}, ' placement="cart"', "SIMILAR"),
        ({"product/similar.html": "PRODUCT PAGE", "mine.html": "MINE"}, ' placement="product" template="ecom_ai_plugin/recommendations/mine.html"', "MINE"),
    ],
)
def test_the_most_specific_template_wins(shop, tmp_path, files, kwargs, expected):
    with override_templates(tmp_path, files):
        html = render('{% recommendations "similar" product=product fallback=True' + kwargs + " %}", product=shop.products["Trail Tent"])
    assert expected in html


def test_template_names_are_listed_most_specific_first():
    assert template_names("similar", "product", "shop/mine.html") == [
        "shop/mine.html",
        "ecom_ai_plugin/recommendations/product/similar.html",
        "ecom_ai_plugin/recommendations/similar.html",
        "ecom_ai_plugin/recommendations/widget.html",
    ]


def test_an_overriding_template_gets_the_items_and_their_explanations(shop, tmp_path):
    custom = "{% for item in items %}[{{ item.product.name }}: {{ item.explanation }}]{% endfor %}"
    with override_templates(tmp_path, {"trending.html": custom}):
        html = render('{% recommendations "trending" category="Outdoor" limit=2 %}')
    assert html.count("[") == 2 and "Trending in Outdoor" in html


def test_recommended_products_gives_the_items_for_markup_of_ones_own(shop):
    html = render('{% recommended_products "trending" limit=3 as items %}{% for item in items %}<{{ item.position }}:{{ item.strategy }}>{% endfor %}')
    assert html == "<1:popularity><2:popularity><3:popularity>"


def test_names_are_escaped(shop):
    from shop.models import Product

    Product.objects.filter(pk=shop.products["Trail Tent"].pk).update(name="<script>window.bad=1</script> Tent")
    html = render('{% recommendations "trending" category="Outdoor" limit=4 %}')
    assert "&lt;script&gt;window.bad=1&lt;/script&gt; Tent" in html and "<script>window.bad" not in html


def test_a_page_without_its_product_shows_nothing_and_a_typo_is_an_error(shop):
    assert render('{% recommendations "similar" product=missing %}').strip() == ""
    with pytest.raises(TemplateSyntaxError):
        render('{% recommendations "simlar" %}')


def test_the_sandbox_pages_show_their_widgets(client, shop):
    beans = shop.products["Ethiopia Beans"]
    page = client.get(beans.get_absolute_url()).content.decode()
    assert "Frequently bought together" in page and "Similar products" in page and "4 customers bought both" in page
    # what sells comes before the reviews
    assert page.index("ecom-ai-recommendations--bought_together") < page.index("ecom-ai-recommendations--similar") < page.index('id="customers-say"')
    home = client.get("/").content.decode()
    # someone new: "for you" would only be the trending list again, so only trending shows
    assert "Recommended for you" not in home and "Trending now" in home
    client.force_login(shop.customers[0])
    account = client.get("/account/").content.decode()
    assert "Recommended for you" in account and "Because you bought" in account
    client.post(f"/cart/add/{shop.products['Hand Grinder'].pk}/", {"quantity": 1})
    cart = client.get("/cart/").content.decode()
    widget = cart[cart.index("ecom-ai-recommendations--for_you"):]
    assert "Recommended for you" in cart and "Hand Grinder" not in widget


def shown_products(html: str, widget: str) -> list[str]:
    import re

    start = html.index(f"ecom-ai-recommendations--{widget}")
    section = html[start : html.index("</section>", start)]
    return re.findall(r'data-ecom-ai-item data-product="([^"]+)"', section)


def test_widgets_on_one_page_never_repeat_each_others_items(shop):
    request = RequestFactory().get("/")
    product = shop.products["Ethiopia Beans"]
    html = render(
        '{% recommendations "bought_together" product=product limit=4 %}'
        '{% recommendations "similar" product=product limit=4 %}'
        '{% recommendations "trending" limit=4 %}',
        product=product,
        request=request,
    )
    together, similar, trending = (shown_products(html, widget) for widget in ("bought_together", "similar", "trending"))
    assert together and similar and trending
    shown = together + similar + trending
    assert len(shown) == len(set(shown)), "an item shown twice on one page"
    # another page (another request) starts afresh
    again = render('{% recommendations "similar" product=product limit=4 %}', product=product)
    assert set(shown_products(again, "similar")) & set(together)


def test_a_widget_that_would_only_repeat_its_fallback_is_not_shown(shop):
    newcomer = render('{% recommendations "for_you" limit=4 %}{% recommendations "trending" limit=4 %}')
    assert "ecom-ai-recommendations--for_you" not in newcomer and "ecom-ai-recommendations--trending" in newcomer
    asked = render('{% recommendations "for_you" limit=4 fallback=True %}')
    assert shown_products(asked, "for_you")
    # a customer with a list of their own sees it
    from django.test import Client

    request = RequestFactory().get("/")
    request.user = shop.customers[0]
    mine = render('{% recommendations "for_you" limit=4 %}', request=request)
    assert shown_products(mine, "for_you")
