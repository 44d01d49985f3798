"""Factories for the plugin's own models."""
import factory

from ecom_ai_plugin.models import Interaction, InteractionType, Job, Review


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    kind = "tests.sleep"
    target_type = "test"
    target_id = factory.Sequence(str)
    queue = "ecom_ai_cpu"


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    product_key = factory.Sequence(str)
    customer_key = factory.Sequence(str)
    rating = 4
    text = "Good value for money."


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    customer_key = "1"
    product_key = factory.Sequence(str)
    type = InteractionType.PURCHASE


def make_product(name: str = "Ultralight 2-Person Backpacking Tent", *, category: str = "Outdoor & Camping", attributes: dict | None = None, **fields):
    """A sandbox shop product with attributes (saved, so its signals fire)."""
    from decimal import Decimal

    from django.utils.text import slugify

    from shop.models import Category, Product, ProductAttributeValue

    category_obj, _ = Category.objects.get_or_create(name=category, defaults={"slug": slugify(category)})
    values = {"price": Decimal("49.00"), "stock": 5, **fields}
    product = Product.objects.create(name=name, slug=slugify(name)[:200], category=category_obj, **values)
    for attribute, value in (attributes if attributes is not None else {"Weight": "1.4 kg"}).items():
        ProductAttributeValue.objects.create(product=product, name=attribute, value=value)
    return product
