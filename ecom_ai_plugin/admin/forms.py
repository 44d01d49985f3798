"""The staff form that says what copy to write."""
from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ecom_ai_plugin.ml.prompts import LANGUAGE_NAMES
from ecom_ai_plugin.models import BrandVoice
from ecom_ai_plugin.services import drafts
from ecom_ai_plugin.services.copy_generation import COPY_KINDS, LANGUAGES, LENGTHS, TONES


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(value, value.replace("_", " ").capitalize()) for value in values]


class CopyRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to write"), choices=_choices(COPY_KINDS), initial="long_description")
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
