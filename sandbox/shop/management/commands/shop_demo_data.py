"""Fill the sandbox shop with a deterministic demo catalogue, customers, orders and reviews.

Everything is generated locally from hand-written word lists and a seeded
random generator: no downloads, same seed → same shop. Rows are written with
``bulk_create``, which sends no ``post_save`` signals; the plugin's backfill
commands pick the data up afterwards.
"""

from __future__ import annotations

import datetime
import random
import time
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Model, Q
from django.utils import timezone

from shop.demo_catalog import CATEGORIES
from shop.demo_orders import HISTORY_DAYS, build_orders
from shop.demo_products import build_products, capacity
from shop.demo_reviews import build_reviews
from shop.demo_shoppers import EMAIL_DOMAIN, build_shoppers, demo_shopper
from shop.models import Category, Order, OrderLine, Product, ProductAttributeValue

DEMO_USER = ("demo", "demo12345")
ADMIN_USER = ("admin", "admin12345")
BATCH_SIZE = 1000


def _positive(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError("must not be negative")
    return number


class Command(BaseCommand):
    help = "Create a deterministic demo shop: products, customers, orders and reviews."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
        parser.add_argument("--products", type=_positive, default=240, help="number of products (default 240)")
        parser.add_argument(
            "--customers", type=_positive, default=320, help="number of customers besides 'demo' (default 320)"
        )
        parser.add_argument("--orders", type=_positive, default=3200, help="number of orders (default 3200)")
        parser.add_argument(
            "--reviews", type=_positive, default=None, help="number of reviews (default: half the orders)"
        )
        parser.add_argument(
            "--until",
            type=datetime.date.fromisoformat,
            default=None,
            help="end of the order history, YYYY-MM-DD at midnight UTC (default: now)",
        )
        parser.add_argument("--flush", action="store_true", help="delete existing shop data and demo reviews first")

    def handle(self, *args: Any, **options: Any) -> None:
        self.started = time.monotonic()
        self.verbosity: int = options["verbosity"]
        seed: int = options["seed"]
        review_model = self._review_model()
        until = self._until(options["until"])

        if options["flush"]:
            self._flush(review_model)
        elif self._has_data():
            raise CommandError(
                "The shop already has data (categories, products, orders or demo customers). "
                "Run again with --flush to delete it and start over."
            )

        wanted = options["products"]
        if wanted > capacity():
            self.stdout.write(self.style.WARNING(f"The demo catalogue can make at most {capacity()} products."))
        category_slugs = [category.slug for category in CATEGORIES]
        products = build_products(wanted, seed)
        shoppers = [demo_shopper(category_slugs), *build_shoppers(options["customers"], seed, category_slugs)]
        orders = build_orders(products, shoppers, options["orders"], seed, until)
        review_count = options["reviews"] if options["reviews"] is not None else options["orders"] // 2
        reviews = build_reviews(products, orders, review_count, seed, until) if review_model else []
        self._progress(
            f"generated {len(products)} products, {len(shoppers)} customers, {len(orders)} orders, {len(reviews)} reviews"
        )

        with transaction.atomic():
            product_rows = self._write_catalogue(products, until, seed)
            user_rows = self._write_customers(shoppers, until)
            order_rows, line_count = self._write_orders(orders, product_rows, user_rows, products)
            review_total = self._write_reviews(review_model, reviews, product_rows, user_rows) if review_model else 0
            admin_created = self._ensure_admin()

        elapsed = time.monotonic() - self.started
        if self.verbosity < 1:
            return
        self.stdout.write("")
        self.stdout.write(f"Log in to the shop as {DEMO_USER[0]} / {DEMO_USER[1]}")
        if admin_created:
            self.stdout.write(f"Log in to the admin as {ADMIN_USER[0]} / {ADMIN_USER[1]}")
        else:
            self.stdout.write(f"Admin account '{ADMIN_USER[0]}' already existed; its password was left unchanged.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {elapsed:.1f} s: {len(CATEGORIES)} categories, {len(product_rows)} products, "
                f"{len(user_rows)} customers, {len(order_rows)} orders ({line_count} lines), {review_total} reviews."
            )
        )

    # -- helpers ----------------------------------------------------------------

    def _progress(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(f"[{time.monotonic() - self.started:5.1f} s] {message}")

    def _review_model(self) -> type[Model] | None:
        try:
            return apps.get_model("ecom_ai_plugin", "Review")
        except LookupError:
            self.stdout.write(self.style.WARNING("ecom_ai_plugin is not installed: no reviews will be created."))
            return None

    @staticmethod
    def _until(day: datetime.date | str | None) -> datetime.datetime:
        if isinstance(day, str):  # call_command() passes option values unparsed
            day = datetime.date.fromisoformat(day)
        if day is None:
            moment = timezone.now().replace(microsecond=0)
        else:
            moment = datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=datetime.timezone.utc)
        if not settings.USE_TZ:
            return timezone.make_naive(moment, datetime.timezone.utc)
        return moment

    @staticmethod
    def _demo_users_query() -> Q:
        """Demo customers (and the demo login), never other accounts such as the admin."""
        return Q(email__iendswith=f"@{EMAIL_DOMAIN}", is_staff=False, is_superuser=False)

    def _has_data(self) -> bool:
        return (
            Category.objects.exists()
            or Product.objects.exists()
            or Order.objects.exists()
            or get_user_model().objects.filter(self._demo_users_query()).exists()
        )

    def _flush(self, review_model: type[Model] | None) -> None:
        user_model = get_user_model()
        with transaction.atomic():
            if review_model is not None:
                product_keys = [str(pk) for pk in Product.objects.values_list("pk", flat=True)]
                customer_keys = [
                    str(pk) for pk in user_model.objects.filter(self._demo_users_query()).values_list("pk", flat=True)
                ]
                reviews, _ = review_model.objects.filter(
                    Q(product_key__in=product_keys) | Q(customer_key__in=customer_keys)
                ).delete()
            else:
                reviews = 0
            # Orders, lines and attribute values go with plain DELETEs: through
            # the ORM each row would send a delete signal and the plugin would
            # record a job per order. Products and customers are deleted through
            # the ORM so the plugin hears about them and forgets what it derived.
            lines = self._delete_all(OrderLine)
            orders = self._delete_all(Order)
            self._delete_all(ProductAttributeValue)
            products, _ = Product.objects.all().delete()
            categories, _ = Category.objects.all().delete()
            users, _ = user_model.objects.filter(self._demo_users_query()).delete()
        self._progress(
            f"flushed {categories} categories, {products} products, {orders} orders, "
            f"{lines} order lines, {reviews} reviews, {users} customer rows"
        )

    @staticmethod
    def _delete_all(model: type[Model]) -> int:
        """Empty a table without loading rows or sending signals; returns the row count."""
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
            return cursor.rowcount

    def _write_catalogue(self, products: list, until: datetime.datetime, seed: int) -> list[Product]:
        categories = Category.objects.bulk_create(
            Category(name=spec.name, slug=spec.slug, description=spec.description) for spec in CATEGORIES
        )
        category_ids = {category.slug: category.pk for category in Category.objects.all()}
        Product.objects.bulk_create(
            (
                Product(
                    name=spec.name,
                    slug=spec.slug,
                    category_id=category_ids[spec.category],
                    description=spec.description,
                    price=spec.price,
                    currency="EUR",
                    stock=spec.stock,
                    is_published=spec.is_published,
                )
                for spec in products
            ),
            batch_size=BATCH_SIZE,
        )
        by_slug = Product.objects.in_bulk([spec.slug for spec in products], field_name="slug")
        rows = [by_slug[spec.slug] for spec in products]

        # Launch dates: most products before the order history starts, a few during it.
        rng = random.Random(f"{seed}:launch")
        start = until - datetime.timedelta(days=HISTORY_DAYS)
        for row, spec in zip(rows, products):
            if spec.launch:
                launched = start + (until - start) * spec.launch
            else:
                launched = start - datetime.timedelta(days=rng.randint(1, 240), minutes=rng.randrange(1440))
            row.created_at = row.updated_at = launched
        Product.objects.bulk_update(rows, ["created_at", "updated_at"], batch_size=BATCH_SIZE)

        values = ProductAttributeValue.objects.bulk_create(
            (
                ProductAttributeValue(product=row, name=name, value=value)
                for row, spec in zip(rows, products)
                for name, attribute_values in spec.attributes.items()
                for value in dict.fromkeys(attribute_values)
            ),
            batch_size=BATCH_SIZE,
        )
        described = sum(1 for spec in products if spec.description)
        self._progress(
            f"catalogue: {len(categories)} categories, {len(rows)} products "
            f"({described} with a description, {sum(1 for s in products if not s.stock)} out of stock, "
            f"{sum(1 for s in products if not s.is_published)} unpublished), {len(values)} attribute values"
        )
        return rows

    def _write_customers(self, shoppers: list, until: datetime.datetime) -> list:
        user_model = get_user_model()
        start = until - datetime.timedelta(days=HISTORY_DAYS)
        unusable = make_password(None)
        demo_password = make_password(DEMO_USER[1])
        users = []
        for spec in shoppers:
            joined = start + (until - start) * spec.joined - datetime.timedelta(days=1)
            users.append(
                user_model(
                    username=spec.username,
                    email=spec.email,
                    first_name=spec.first_name,
                    last_name=spec.last_name,
                    password=demo_password if spec.username == DEMO_USER[0] else unusable,
                    date_joined=joined,
                )
            )
        user_model.objects.bulk_create(users, batch_size=BATCH_SIZE)
        by_username = user_model.objects.in_bulk([spec.username for spec in shoppers], field_name="username")
        rows = [by_username[spec.username] for spec in shoppers]
        self._progress(f"customers: {len(rows)} accounts (including '{DEMO_USER[0]}')")
        return rows

    def _write_orders(
        self, orders: list, product_rows: list[Product], user_rows: list, products: list
    ) -> tuple[list[Order], int]:
        order_rows = Order.objects.bulk_create(
            (
                Order(
                    customer=user_rows[spec.shopper] if spec.shopper is not None else None,
                    email=spec.email,
                    status=spec.status,
                    created_at=spec.created_at,
                    paid_at=spec.paid_at,
                )
                for spec in orders
            ),
            batch_size=BATCH_SIZE,
        )
        if order_rows and order_rows[0].pk is None:
            # Databases that cannot return ids from a bulk insert: ids follow insertion order.
            for row, pk in zip(order_rows, Order.objects.order_by("pk").values_list("pk", flat=True)):
                row.pk = pk
        lines = OrderLine.objects.bulk_create(
            (
                OrderLine(
                    order_id=row.pk,
                    product=product_rows[index],
                    product_name=product_rows[index].name,
                    quantity=quantity,
                    unit_price=products[index].price,
                )
                for row, spec in zip(order_rows, orders)
                for index, quantity in spec.lines.items()
            ),
            batch_size=BATCH_SIZE,
        )
        statuses = {status: sum(1 for spec in orders if spec.status == status) for status in Order.Status.values}
        guests = sum(1 for spec in orders if spec.shopper is None)
        self._progress(
            f"orders: {len(order_rows)} orders, {len(lines)} lines "
            f"({', '.join(f'{count} {status}' for status, count in statuses.items())}; {guests} guest orders)"
        )
        return order_rows, len(lines)

    def _write_reviews(
        self, review_model: type[Model], reviews: list, product_rows: list[Product], user_rows: list
    ) -> int:
        rows = review_model.objects.bulk_create(
            (
                review_model(
                    product_key=str(product_rows[spec.product].pk),
                    customer_key=str(user_rows[spec.shopper].pk),
                    rating=spec.rating,
                    title=spec.title,
                    text=spec.text,
                    language=spec.language,
                    status="approved",
                    verified_purchase=True,
                    created_at=spec.created_at,
                )
                for spec in reviews
            ),
            batch_size=BATCH_SIZE,
        )
        ratings = {stars: sum(1 for spec in reviews if spec.rating == stars) for stars in range(1, 6)}
        chinese = sum(1 for spec in reviews if spec.language == "zh")
        self._progress(
            f"reviews: {len(rows)} approved reviews "
            f"({', '.join(f'{stars}★ {count}' for stars, count in ratings.items())}; {chinese} in Chinese)"
        )
        return len(rows)

    def _ensure_admin(self) -> bool:
        """Create the admin login unless an account with that name exists already."""
        user_model = get_user_model()
        if user_model.objects.filter(username=ADMIN_USER[0]).exists():
            return False
        user_model.objects.create_superuser(ADMIN_USER[0], f"admin@{EMAIL_DOMAIN}", ADMIN_USER[1])
        self._progress(f"admin: created superuser '{ADMIN_USER[0]}'")
        return True
