"""What the plugin's admin pages show instead of raw values: product names, readable figures, small tables.

Rows store shop products by key; a list of 100 drafts would read 100
products one at a time. :class:`ProductNamesAdmin` reads the products of
the page shown in one batch through the host and links each by name.
"""
from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from ecom_ai_plugin.hosts import ProductInfo, get_host
from ecom_ai_plugin.labels import label

#: the most rows or items a table or list shows
MAX_ITEMS = 25
MAX_DEPTH = 5


def readable_duration(value: float | datetime.timedelta | None) -> str:
    """"42 s", "3 min 5 s", "2 h 4 min"; "—" for none."""
    if value is None:
        return "—"
    seconds = value.total_seconds() if isinstance(value, datetime.timedelta) else float(value)
    if seconds < 10:
        return f"{seconds:.1f} s"
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s" if seconds else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def rounded(value: Any) -> str:
    """A figure as people read it: 0.8731 → "0.873", 42.15546 → "42.2", 1234567 → "1,234,567"."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value):
            return "—"
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return "—" if value is None else str(value)


def value_table(value: Any, depth: int = 0) -> SafeString:
    """JSON (dicts, lists, figures, text) as a small table of labelled, rounded values, escaped."""
    if isinstance(value, dict):
        if not value:
            return mark_safe("—")
        items = list(value.items())
        rows = format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", ((label(key), _cell(item, depth)) for key, item in items[:MAX_ITEMS]))
        more = format_html('<tr><td colspan="2">{}</td></tr>', _more(len(items))) if len(items) > MAX_ITEMS else ""
        return format_html('<table class="ecom-ai-values">{}{}</table>', rows, more)
    if isinstance(value, (list, tuple)):
        if not value:
            return mark_safe("—")
        if all(not isinstance(item, (dict, list, tuple)) for item in value):
            shown = ", ".join(rounded(item) for item in value[:MAX_ITEMS])
            return format_html("{}{}", shown, f" {_more(len(value))}" if len(value) > MAX_ITEMS else "")
        items = format_html_join("", "<li>{}</li>", ((_cell(item, depth),) for item in value[:MAX_ITEMS]))
        more = format_html("<li>{}</li>", _more(len(value))) if len(value) > MAX_ITEMS else ""
        return format_html('<ul class="ecom-ai-values">{}{}</ul>', items, more)
    return format_html("{}", rounded(value))


def _cell(value: Any, depth: int) -> SafeString:
    if depth + 1 >= MAX_DEPTH and isinstance(value, (dict, list, tuple)):
        return format_html("{}", "…")
    return value_table(value, depth + 1)


def _more(total: int) -> str:
    return f"… ({total - MAX_ITEMS} more)"


def product_infos(keys: Iterable[str]) -> dict[str, ProductInfo]:
    """The products with these keys, in one read through the host; keys the shop no longer has are absent."""
    wanted = sorted({str(key) for key in keys if key})
    if not wanted:
        return {}
    return {info.key: info for info in get_host().iter_products(keys=wanted)}


def product_name_link(key: str, info: ProductInfo | None, href: str | None = None) -> SafeString:
    """The product's name, linked to ``href`` (default: its page in the shop); the key where it is gone."""
    if info is None:
        return format_html('{} <span class="ecom-ai-muted">({})</span>', key, _("no longer in the shop"))
    target = href or info.url
    if target:
        return format_html('<a href="{}" title="{}">{}</a>', target, _("product %(key)s") % {"key": key}, info.name)
    return format_html('<span title="{}">{}</span>', _("product %(key)s") % {"key": key}, info.name)


class ProductNamesAdmin:
    """A ModelAdmin mixin: the products of a list page read in one batch, shown by name.

    Subclasses say where a row's product key is (:meth:`product_key_of`) and
    show it with :meth:`product_column`.
    """

    product_key_attribute = "product_key"

    class Media:
        css = {"all": ["ecom_ai_plugin/admin.css"]}  # the small tables of value_table

    def product_key_of(self, obj: Any) -> str | None:
        return getattr(obj, self.product_key_attribute, None) or None

    def get_changelist_instance(self, request: HttpRequest) -> Any:
        changelist = super().get_changelist_instance(request)  # type: ignore[misc]
        rows = list(changelist.result_list)
        infos = product_infos(key for key in map(self.product_key_of, rows) if key)
        for row in rows:
            row._ecom_ai_products = infos
        changelist.result_list = rows
        return changelist

    def product_info_of(self, obj: Any) -> ProductInfo | None:
        key = self.product_key_of(obj)
        if not key:
            return None
        read = getattr(obj, "_ecom_ai_products", None)
        if read is None:  # a single object (its change page): one read is one read
            read = obj._ecom_ai_products = product_infos([key])
        return read.get(str(key))

    def product_column(self, obj: Any, href: str | None = None) -> SafeString | str:
        key = self.product_key_of(obj)
        if not key:
            return "—"
        return product_name_link(str(key), self.product_info_of(obj), href)


def labelled_filter(field: str, title: Any, label_of: Callable[[str], Any]) -> type[admin.SimpleListFilter]:
    """A list filter on a code field (``kind``, ``widget``) whose choices read as words, not codes."""

    class LabelledFilter(admin.SimpleListFilter):
        parameter_name = field

        def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
            values = model_admin.model._default_manager.values_list(field, flat=True).distinct().order_by(field)
            return sorted(((value, str(label_of(value))) for value in values), key=lambda pair: pair[1])

        def queryset(self, request: HttpRequest, queryset: Any) -> Any:
            return queryset.filter(**{field: self.value()}) if self.value() else queryset

    LabelledFilter.title = title
    return LabelledFilter
