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
    """A sandbox shop product with attributes, saved one row at a time so the shop's signals fire."""
    from django.utils.text import slugify

    from shop.models import Category
    from tests.sandbox.factories import ProductAttributeValueFactory, ProductFactory

    category_obj, _ = Category.objects.get_or_create(name=category, defaults={"slug": slugify(category)})
    fields.setdefault("description", "")
    product = ProductFactory(name=name, slug=slugify(name)[:200], category=category_obj, **fields)
    for attribute, value in (attributes if attributes is not None else {"Weight": "1.4 kg"}).items():
        for one in value if isinstance(value, (list, tuple)) else [value]:  # a list: several values of one attribute
            ProductAttributeValueFactory(product=product, name=attribute, value=one)
    return product


def make_order(customer=None, email: str = "guest@example.com", products=(), status: str = "paid"):
    """An order with one line (quantity 2) per product."""
    from tests.sandbox.factories import OrderFactory, OrderLineFactory

    order = OrderFactory(customer=customer, email=email, status=status)
    for product in products:
        OrderLineFactory(order=order, product=product, quantity=2)
    return order
