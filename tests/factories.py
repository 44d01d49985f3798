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
