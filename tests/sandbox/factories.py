"""Factories for the sandbox shop's models."""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils.text import slugify

from shop.models import Category, Order, OrderLine, Product, ProductAttributeValue

PASSWORD = "correct-horse-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"shopper{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(PASSWORD)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.LazyAttribute(lambda category: slugify(category.name))


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    category = factory.SubFactory(CategoryFactory)
    description = "A plain product."
    price = Decimal("19.90")
    stock = 10


class ProductAttributeValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductAttributeValue

    product = factory.SubFactory(ProductFactory)
    name = "Colour"
    value = factory.Sequence(lambda n: f"Colour {n}")


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    customer = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(lambda order: order.customer.email if order.customer else "guest@example.org")
    status = Order.Status.PLACED


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    product = factory.SubFactory(ProductFactory)
    product_name = factory.LazyAttribute(lambda line: line.product.name)
    quantity = 1
    unit_price = factory.LazyAttribute(lambda line: line.product.price)
