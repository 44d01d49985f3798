"""What the staff screens of product copy share: the Django admin and the Saleor Dashboard pages.

The "what to write" form and a draft's text with its unsupported claims
marked. Outside ``admin/``: importing that package registers the ModelAdmins,
and Saleor, which serves the dashboard pages in-process, has no
``django.contrib.admin``.
"""
from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from ecom_ai_plugin.labels import label
from ecom_ai_plugin.ml.copy.prompts import LANGUAGE_NAMES
from ecom_ai_plugin.models import COPY_KIND_LABELS, BrandVoice
from ecom_ai_plugin.services.copy import drafts
from ecom_ai_plugin.services.copy.generation import (
    COPY_KINDS,
    LANGUAGES,
    LENGTHS,
    TONES,
)


def _choices(values: tuple[str, ...], labels: dict[str, Any] | None = None) -> list[tuple[str, str]]:
    return [(value, (labels or {}).get(value) or label(value)) for value in values]


class CopyRequestForm(forms.Form):
    """The staff form that says what copy to write."""

    kind = forms.ChoiceField(label=_("What to write"), choices=_choices(COPY_KINDS, COPY_KIND_LABELS), initial="long_description")
    tone = forms.ChoiceField(choices=_choices(TONES), initial="neutral")
    language = forms.ChoiceField(
        choices=[("", _("Shop default")), *((code, LANGUAGE_NAMES.get(code, code)) for code in LANGUAGES)], required=False
    )
    length = forms.ChoiceField(choices=_choices(LENGTHS), initial="medium")
    keywords = forms.CharField(max_length=600, required=False, help_text=_("Comma-separated words to include."))
    avoid = forms.CharField(max_length=600, required=False, help_text=_("Comma-separated words to leave out."))
    brand_voice = forms.ModelChoiceField(
        queryset=BrandVoice.objects.all(), to_field_name="name", required=False,
        empty_label=_("Default voice"), help_text=_("A saved brand voice, instead of the default."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        options = {**data, "brand_voice": data["brand_voice"].name if data.get("brand_voice") else None}
        try:
            data["request"] = drafts.build_request(options)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        return data


def highlight_claims(text: str, claims: list[dict[str, Any]]) -> SafeString:
    """The text, escaped, with each unsupported claim wrapped in ``<mark>`` at its offsets.

    Offsets outside the text or overlapping an earlier claim are skipped
    rather than trusted: the text is always shown whole and escaped.
    """
    pieces: list[str] = []
    position = 0
    placed = [c for c in claims or [] if isinstance(c.get("start"), int) and isinstance(c.get("end"), int)]
    for claim in sorted(placed, key=lambda c: (c["start"], c["end"])):
        start, end = claim.get("start"), claim.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and position <= start < end <= len(text)):
            continue
        pieces.append(escape(text[position:start]))
        pieces.append(
            format_html(
                '<mark class="ecom-ai-claim" data-kind="{}" title="{}">{}</mark>',
                claim.get("kind", ""),
                claim.get("reason", ""),
                text[start:end],
            )
        )
        position = end
    pieces.append(escape(text[position:]))
    return mark_safe(f'<div class="ecom-ai-draft-text">{"".join(pieces)}</div>')  # every piece escaped above
