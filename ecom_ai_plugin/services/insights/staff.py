"""What the staff screens of experiments share: the Django admin and the Saleor Dashboard pages.

Outside ``admin/``: importing that package registers the ModelAdmins, and
Saleor, which serves the dashboard pages in-process, has no
``django.contrib.admin``.
"""
from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ecom_ai_plugin.models import ContentDraft, Experiment, ExperimentKind

MARKUP = re.compile(r"<\s*[a-zA-Z/!?]")


class ExperimentForm(forms.ModelForm):
    """Start an experiment: a slot and its challenger widget, or a description draft to test against the current text.

    ``drafts`` limits the drafts arm B may name (the Saleor Dashboard passes
    the asking shop's own); the Django admin may name any.
    """

    challenger = forms.ChoiceField(choices=[("", "—")], required=False, help_text=_("Recommendations: the widget whose list arm B shows in the slot."))
    draft = forms.UUIDField(required=False, help_text=_("Copy: the description draft arm B shows (its id)."))

    class Meta:
        model = Experiment
        fields = ["name", "kind", "widget"]
        help_texts = {"widget": _("Recommendations: the slot (the widget a page shows; arm A keeps its own list).")}

    def __init__(self, *args: Any, drafts: QuerySet[ContentDraft] | None = None, **kwargs: Any) -> None:
        from ecom_ai_plugin.services.recommendations.serving import WIDGETS

        super().__init__(*args, **kwargs)
        self.drafts = drafts if drafts is not None else ContentDraft.objects.all()
        choices = [("", "—"), *((w, w.replace("_", " ")) for w in WIDGETS)]
        self.fields["widget"] = forms.ChoiceField(choices=choices, required=False, help_text=self._meta.help_texts["widget"])
        self.fields["challenger"].choices = choices

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if MARKUP.search(name):
            raise forms.ValidationError(_("The name is plain text: leave out HTML tags."))
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == ExperimentKind.COPY:
            draft = self.drafts.filter(pk=data.get("draft")).first() if data.get("draft") else None
            if draft is None:
                raise forms.ValidationError(_("Give the id of a description draft for arm B."))
            data["draft_object"] = draft
        elif not data.get("widget") or not data.get("challenger"):
            raise forms.ValidationError(_("Choose the slot and the challenger widget."))
        elif data["widget"] == data["challenger"]:
            raise forms.ValidationError(_("Choose a challenger other than the slot's own widget."))
        return data
