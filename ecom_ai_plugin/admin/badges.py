"""Coloured status labels shared by the plugin's admin lists."""
from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString

#: colour per status value; statuses of jobs and drafts share their meaning.
STATUS_COLOURS = {
    "pending": "#8a6d00",
    "draft": "#8a6d00",
    "running": "#0b5cad",
    "approved": "#0b5cad",
    "succeeded": "#1d7a33",
    "published": "#1d7a33",
    "failed": "#b00020",
    "rejected": "#b00020",
    "cancelled": "#666",
    "superseded": "#666",
    "reverted": "#8a4f00",
    "spam": "#b00020",
    "positive": "#1d7a33",
    "neutral": "#666",
    "negative": "#b00020",
    "open": "#b00020",
    "acknowledged": "#666",
    "answered": "#1d7a33",
    "escalated": "#b00020",
    "refused": "#666",
}


def status_badge(css_class: str, status: str, label: str) -> SafeString:
    return format_html(
        '<span class="{} {}-{}" style="color:{};font-weight:bold">{}</span>',
        css_class,
        css_class,
        status,
        STATUS_COLOURS.get(status, "#000"),
        label,
    )
