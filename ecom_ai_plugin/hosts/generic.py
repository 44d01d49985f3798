"""Any Django shop, mapped in ``ECOM_AI['GENERIC_HOST']``.

Fields are attribute paths on model instances (``"category.name"``); a
callable at the end of a path is called, so a model method or property can
supply derived values such as an attribute dict or availability.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

from ecom_ai_plugin import events
from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.hosts.base import (
    CustomerInfo,
    OrderInfo,
    OrderLineInfo,
    ProductInfo,
    ShopHost,
    UnsupportedFieldError,
)
from ecom_ai_plugin.models.keys import is_valid_pk

DISPATCH_PREFIX = "ecom_ai_plugin.generic"


def read_path(obj: Any, path: str | None) -> Any:
    """Follow a dotted attribute path, calling a callable at the end; None-safe."""
    if not path:
        return None
    value = obj
    for part in path.split("."):
        if value is None:
            return None
        value = getattr(value, part, None)
    if callable(value) and not isinstance(value, models.Manager):
        value = value()
    return value


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _attributes(value: Any) -> dict[str, list[str]]:
    """Accept ``{name: value}``, ``{name: [values]}`` or ``[(name, value), ...]``."""
    if not value:
        return {}
    items = value.items() if isinstance(value, dict) else value
    result: dict[str, list[str]] = {}
    for name, values in items:
        if isinstance(values, (list, tuple, set)):
            cleaned = [str(v) for v in values if v not in (None, "")]
        else:
            cleaned = [str(values)] if values not in (None, "") else []
        if cleaned:
            result.setdefault(str(name), []).extend(cleaned)
    return result


def _image_url(value: Any) -> str | None:
    """A URL string, or an image field's ``url`` (None for one without a file)."""
    if value is None or value == "":
        return None
    if hasattr(value, "url"):
        try:
            return value.url or None
        except ValueError:  # a FieldFile with no file
            return None
    return str(value)
def _count(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


class GenericHost(ShopHost):
    name = "generic"

    @property
    def config(self) -> dict[str, Any]:
        return ecom_ai_settings.GENERIC_HOST

    # -- models ---------------------------------------------------------------
    def product_model(self) -> type[models.Model]:
        return self._model("PRODUCT_MODEL")

    def order_model(self) -> type[models.Model]:
        return self._model("ORDER_MODEL")

    def customer_model(self) -> type[models.Model]:
        label = self.config.get("CUSTOMER_MODEL") or settings.AUTH_USER_MODEL
        return apps.get_model(label)

    def _model(self, setting: str) -> type[models.Model]:
        label = self.config.get(setting)
        if not label:
            raise LookupError(f"ECOM_AI['GENERIC_HOST']['{setting}'] is not set")
        return apps.get_model(label)

    # -- products -------------------------------------------------------------
    def product_key(self, product: Any) -> str:
        return str(product.pk)

    def product_info(self, product: Any) -> ProductInfo:
        fields = self.config["PRODUCT_FIELDS"]
        available = read_path(product, fields.get("available"))
        published = read_path(product, fields.get("published"))
        variants = read_path(product, fields.get("variants")) or []
        return ProductInfo(
            key=self.product_key(product),
            name=_text(read_path(product, fields.get("name"))),
            description=_text(read_path(product, fields.get("description"))),
            category=_text(read_path(product, fields.get("category"))) or None,
            attributes=_attributes(read_path(product, fields.get("attributes"))),
            variants=[str(v) for v in variants],
            price=_decimal(read_path(product, fields.get("price"))),
            currency=_text(read_path(product, fields.get("currency"))) or None,
            available=True if available is None else bool(available),
            published=True if published is None else bool(published),
            url=_text(read_path(product, fields.get("url"))) or None,
            image_url=_image_url(read_path(product, fields.get("image_url"))),
            stock=_count(read_path(product, fields.get("stock"))),
        )

    def _product_queryset(self) -> models.QuerySet:
        qs = self.product_model()._default_manager.all()
        fields = self.config["PRODUCT_FIELDS"]
        related = [p.split(".")[0] for p in (fields.get("category"),) if p and "." in p]
        concrete = {f.name for f in qs.model._meta.get_fields() if f.is_relation and f.many_to_one}
        select = [name for name in related if name in concrete]
        if select:
            qs = qs.select_related(*select)
        prefetch = self.config.get("PRODUCT_PREFETCH") or []
        if prefetch:
            qs = qs.prefetch_related(*prefetch)
        return qs

    def get_product(self, key: str) -> ProductInfo | None:
        product = self._get(self._product_queryset(), key)
        return None if product is None else self.product_info(product)

    def iter_products(self, keys: Iterable[str] | None = None, batch_size: int = 500) -> Iterator[ProductInfo]:
        qs = self._product_queryset().order_by("pk")
        if keys is not None:
            valid = [k for k in keys if is_valid_pk(qs.model, k)]
            if not valid:
                return
            qs = qs.filter(pk__in=valid)
        for product in qs.iterator(chunk_size=batch_size):
            yield self.product_info(product)

    def count_products(self) -> int:
        return self.product_model()._default_manager.count()

    # -- writing product text -------------------------------------------------
    def writable_text_fields(self) -> tuple[str, ...]:
        mapping = self.config.get("WRITABLE_FIELDS") or {}
        return tuple(name for name, attr in mapping.items() if attr)

    def _text_field(self, name: str) -> models.Field:
        attr = self.config["WRITABLE_FIELDS"][name]
        try:
            return self.product_model()._meta.get_field(attr)
        except Exception:
            raise UnsupportedFieldError(
                f"ECOM_AI['GENERIC_HOST']['WRITABLE_FIELDS'][{name!r}] = {attr!r} is not a field of "
                f"{self.config['PRODUCT_MODEL']}."
            ) from None

    def read_product_text(self, key: str, fields: Iterable[str]) -> dict[str, str]:
        fields = list(fields)
        self._check_text_fields(fields)
        product = self._get(self.product_model()._default_manager.all(), key)
        if product is None:
            raise LookupError(f"Product {key!r} does not exist.")
        return {name: _text(getattr(product, self._text_field(name).attname)) for name in fields}

    def write_product_text(self, key: str, fields: dict[str, str]) -> dict[str, str]:
        """Write the mapped model fields with one ``save(update_fields=...)``.

        Text longer than a field's ``max_length`` is refused, not cut.
        ``auto_now`` fields (``updated_at``) are saved too, so the shop sees
        the change as any other edit.
        """
        self._check_text_fields(fields)
        model_fields = {name: self._text_field(name) for name in fields}
        for name, field in model_fields.items():
            limit = getattr(field, "max_length", None)
            if limit and len(fields[name]) > limit:
                raise ValueError(f"The {name.replace('_', ' ')} is {len(fields[name])} characters long; the shop allows {limit}.")
        manager = self.product_model()._default_manager
        with transaction.atomic():
            product = self._get(manager.select_for_update(), key)
            if product is None:
                raise LookupError(f"Product {key!r} does not exist.")
            previous = {}
            for name, field in model_fields.items():
                previous[name] = _text(getattr(product, field.attname))
                setattr(product, field.attname, fields[name])
            touched = [field.name for field in model_fields.values()]
            touched += [f.name for f in product._meta.concrete_fields if getattr(f, "auto_now", False)]
            product.save(update_fields=sorted(set(touched)))
        return previous

    # -- orders ---------------------------------------------------------------
    def order_key(self, order: Any) -> str:
        return str(order.pk)

    def order_info(self, order: Any) -> OrderInfo:
        fields = self.config["ORDER_FIELDS"]
        line_fields = self.config["ORDER_LINE_FIELDS"]
        lines_value = read_path(order, fields.get("lines"))
        if isinstance(lines_value, models.Manager):
            lines_value = lines_value.all()
        lines = [
            OrderLineInfo(
                product_key=_text(read_path(line, line_fields.get("product"))) or None,
                quantity=int(read_path(line, line_fields.get("quantity")) or 1),
                product_name=_text(read_path(line, line_fields.get("product_name"))),
                unit_price=_decimal(read_path(line, line_fields.get("unit_price"))),
            )
            for line in (lines_value or [])
        ]
        status = _text(read_path(order, fields.get("status"))).lower()
        cancelled = read_path(order, fields.get("cancelled"))
        if cancelled is None:
            cancelled = status in {s.lower() for s in self.config.get("ORDER_CANCELLED_STATUSES", [])}
        customer = read_path(order, fields.get("customer"))
        return OrderInfo(
            key=self.order_key(order),
            customer_key=_text(customer) or None,
            email=_text(read_path(order, fields.get("email"))) or None,
            created_at=read_path(order, fields.get("created_at")),
            paid=bool(read_path(order, fields.get("paid"))),
            cancelled=bool(cancelled),
            lines=lines,
            channel=_text(read_path(order, fields.get("channel"))),
            currency=_text(read_path(order, fields.get("currency"))) or None,
        )

    def get_order(self, key: str) -> OrderInfo | None:
        qs = self.order_model()._default_manager.all()
        lines = self.config["ORDER_FIELDS"].get("lines")
        if lines and "." not in lines:
            qs = qs.prefetch_related(lines)
        order = self._get(qs, key)
        return None if order is None else self.order_info(order)

    def iter_orders(self, batch_size: int = 500) -> Iterator[OrderInfo]:
        yield from self.iter_orders_since(None, batch_size=batch_size)

    def iter_orders_since(self, since: Any, batch_size: int = 500) -> Iterator[OrderInfo]:
        qs = self.order_model()._default_manager.all()
        created = self.config["ORDER_FIELDS"].get("created_at")
        by_field = bool(created and "." not in created)
        qs = qs.order_by(created, "pk") if by_field else qs.order_by("pk")
        if since is not None and by_field:
            qs = qs.filter(**{f"{created}__gte": since})
        lines = self.config["ORDER_FIELDS"].get("lines")
        if lines and "." not in lines:
            qs = qs.prefetch_related(lines)
        for order in qs.iterator(chunk_size=batch_size):
            info = self.order_info(order)
            if since is None or by_field or (info.created_at is not None and info.created_at >= since):
                yield info

    # -- catalogue structure ----------------------------------------------------
    def _category_field(self) -> tuple[models.Field, str | None]:
        """The product field holding the category, and the related model's name field (None: a text field)."""
        path = self.config["PRODUCT_FIELDS"].get("category") or ""
        parts = path.split(".")
        if not path or len(parts) > 2:
            raise UnsupportedFieldError(f"ECOM_AI['GENERIC_HOST']['PRODUCT_FIELDS']['category'] = {path!r} cannot be written.")
        try:
            field = self.product_model()._meta.get_field(parts[0])
        except Exception:
            raise UnsupportedFieldError(f"{parts[0]!r} is not a field of {self.config['PRODUCT_MODEL']}.") from None
        if len(parts) == 2 and not (field.is_relation and field.many_to_one):
            raise UnsupportedFieldError(f"{parts[0]!r} of {self.config['PRODUCT_MODEL']} is not a foreign key.")
        return field, parts[1] if len(parts) == 2 else None

    def category_names(self) -> list[str]:
        try:
            field, name_field = self._category_field()
        except UnsupportedFieldError:
            return super().category_names()
        if name_field is None:
            values = self.product_model()._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True)
        else:
            values = field.related_model._default_manager.values_list(name_field, flat=True)
        return sorted({str(v) for v in values if v})

    def set_product_category(self, key: str, category: str) -> str | None:
        field, name_field = self._category_field()
        manager = self.product_model()._default_manager
        with transaction.atomic():
            product = self._get(manager.select_for_update(), key)
            if product is None:
                raise LookupError(f"Product {key!r} does not exist.")
            previous = _text(read_path(product, self.config["PRODUCT_FIELDS"].get("category"))) or None
            if name_field is None:
                setattr(product, field.attname, category)
            else:
                target = field.related_model._default_manager.filter(**{name_field: category}).first()
                if target is None:
                    raise LookupError(f"There is no category {category!r}.")
                setattr(product, field.name, target)
            touched = [field.name] + [f.name for f in product._meta.concrete_fields if getattr(f, "auto_now", False)]
            product.save(update_fields=sorted(set(touched)))
        return previous

    # -- customers ------------------------------------------------------------
    def customer_key(self, customer: Any) -> str:
        return str(customer.pk)

    def get_customer(self, key: str) -> CustomerInfo | None:
        customer = self._get(self.customer_model()._default_manager.all(), key)
        if customer is None:
            return None
        full_name = getattr(customer, "get_full_name", None)
        return CustomerInfo(
            key=self.customer_key(customer),
            email=getattr(customer, "email", None) or None,
            name=full_name() if callable(full_name) else "",
            created_at=getattr(customer, "date_joined", None),
        )

    # -- lookups ----------------------------------------------------------------
    def _get(self, qs: models.QuerySet, key: str) -> Any:
        if not is_valid_pk(qs.model, key):
            return None
        return qs.filter(pk=key).first()

    # -- wiring ---------------------------------------------------------------
    def connect(self) -> None:
        """Turn the shop's model signals into plugin events."""
        if self.config.get("PRODUCT_MODEL"):
            product_model = self.config["PRODUCT_MODEL"]
            post_save.connect(_product_saved, sender=product_model, dispatch_uid=f"{DISPATCH_PREFIX}.product_saved")
            post_delete.connect(_product_deleted, sender=product_model, dispatch_uid=f"{DISPATCH_PREFIX}.product_deleted")
            for label, fk_attr in (self.config.get("PRODUCT_RELATED_MODELS") or {}).items():
                receiver = _related_saved_receiver(fk_attr)
                _related_receivers.append(receiver)
                post_save.connect(receiver, sender=label, dispatch_uid=f"{DISPATCH_PREFIX}.related_saved.{label}")
                post_delete.connect(receiver, sender=label, dispatch_uid=f"{DISPATCH_PREFIX}.related_deleted.{label}")
        if self.config.get("ORDER_MODEL"):
            order_model = self.config["ORDER_MODEL"]
            post_save.connect(_order_changed, sender=order_model, dispatch_uid=f"{DISPATCH_PREFIX}.order_saved")
            post_delete.connect(_order_changed, sender=order_model, dispatch_uid=f"{DISPATCH_PREFIX}.order_deleted")
        customer_model = self.config.get("CUSTOMER_MODEL") or settings.AUTH_USER_MODEL
        post_save.connect(_customer_saved, sender=customer_model, dispatch_uid=f"{DISPATCH_PREFIX}.customer_saved")
        post_delete.connect(_customer_deleted, sender=customer_model, dispatch_uid=f"{DISPATCH_PREFIX}.customer_deleted")


# Receivers are module-level functions (signals hold weak references).
_related_receivers: list[Any] = []


def _product_saved(sender: Any, instance: Any, created: bool = False, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        events.product_changed(str(instance.pk))
        if created:
            events.product_created(str(instance.pk))


def _product_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    events.product_deleted(str(instance.pk))


def _related_saved_receiver(fk_attr: str):
    def receiver(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
        key = getattr(instance, fk_attr, None)
        if not raw and key is not None:
            events.product_changed(str(key))

    return receiver


def _order_changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        events.order_changed(str(instance.pk))


def _customer_saved(sender: Any, instance: Any, created: bool = False, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw:
        events.customer_created(str(instance.pk))


def _customer_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    events.customer_deleted(str(instance.pk))
