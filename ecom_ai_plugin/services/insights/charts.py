"""Charts as server-rendered SVG: no JavaScript, no CDN, readable with the table beside them.

Every label goes through ``escape``; numbers are formatted here. The
drawing is deliberately plain: lines for series over time (the previous
period dashed), a shaded band for a forecast's interval, horizontal bars for
rankings.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 28, 36
AXIS_CHAR_W = 6.5  # an 11px axis label's average character width, in viewBox units
COLOURS = {"current": "#1f5fa8", "previous": "#8a8f98", "forecast": "#c05a00", "negative": "#b00020", "positive": "#1d7a33"}
PALETTE = ("#1f5fa8", "#c05a00", "#1d7a33", "#7b3fa0", "#b00020", "#00838f")


@dataclass(frozen=True)
class Line:
    label: str
    values: Sequence[float | None]
    colour: str = COLOURS["current"]
    dashed: bool = False


def number(value: float) -> str:
    """Short axis and table numbers: 1234 -> 1,234; 0.125 -> 0.13; 12500 -> 12.5k."""
    if value is None:
        return "—"
    if abs(value) >= 10000:
        return f"{value / 1000:,.1f}k"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) < 100 else f"{value:,.0f}"


def _nice_step(value: float) -> float:
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _scale(value: float) -> tuple[float, int]:
    """A round top of the axis and its number of ticks: steps of 1, 2 or 5 times a power of ten, at most 5 of them."""
    if value <= 0:
        return 1.0, 4
    step = _nice_step(value / 4)
    ticks = max(1, math.ceil(value / step - 1e-9))
    return step * ticks, ticks


def _frame(title: str, body: list[str], legend: list[tuple[str, str, bool]]) -> SafeString:
    items = []
    x = LEFT
    for label, colour, dashed in legend:
        dash = ' stroke-dasharray="5 3"' if dashed else ""
        items.append(
            f'<line x1="{x}" y1="12" x2="{x + 18}" y2="12" stroke="{colour}" stroke-width="3"{dash}/>'
            f'<text x="{x + 22}" y="16" class="ecom-ai-chart-legend">{escape(label)}</text>'
        )
        x += 30 + 7 * len(label)
    return mark_safe(
        f'<svg class="ecom-ai-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        + "".join(items)
        + "".join(body)
        + "</svg>"
    )


def _axes(top_value: float, ticks: int, labels: Sequence[str], plot_w: float, plot_h: float, slots: int) -> list[str]:
    parts = []
    for tick in range(ticks + 1):
        value = top_value * tick / ticks
        y = TOP + plot_h - plot_h * tick / ticks
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" class="ecom-ai-chart-grid" stroke="#e3e5e8"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="ecom-ai-chart-axis">{number(value)}</text>')
    for i in _labelled_slots(labels, plot_w / max(slots - 1, 1)):
        x = LEFT + (plot_w * i / max(slots - 1, 1))
        # The last slot sits on the plot's right edge: a centred date would run past the frame and be cut.
        anchor = "end" if i == len(labels) - 1 and i > 0 else "middle"
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - 12}" text-anchor="{anchor}" class="ecom-ai-chart-axis">{escape(labels[i])}</text>')
    return parts


def _labelled_slots(labels: Sequence[str], slot_w: float, most: int = 8) -> list[int]:
    """Every ``step``-th slot and always the last (the day or week staff look for first), none overlapping it."""
    count = len(labels)
    if count == 0:
        return []
    step = max(1, math.ceil(count / most))
    chosen = list(range(0, count, step))
    if chosen[-1] != count - 1:
        # The last label ends at its slot, the one before is centred on its own: they must not touch.
        width = AXIS_CHAR_W * max(len(labels[-1]), len(labels[chosen[-1]]))
        if len(chosen) > 1 and (count - 1 - chosen[-1]) * slot_w < 1.5 * width + 6:
            chosen.pop()
        chosen.append(count - 1)
    return chosen


def line_chart(
    title: str,
    labels: Sequence[str],
    lines: Sequence[Line],
    band: tuple[Sequence[float], Sequence[float], int] | None = None,
) -> SafeString:
    """Lines over the same x labels; ``band`` is (low, high, first index) of a shaded interval."""
    slots = max(len(labels), 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    values = [v for line in lines for v in line.values if v is not None]
    if band:
        values += list(band[1])
    top_value, ticks = _scale(max(values, default=0))

    def point(i: int, value: float) -> str:
        x = LEFT + plot_w * i / max(slots - 1, 1)
        y = TOP + plot_h - plot_h * (value / top_value)
        return f"{x:.1f},{y:.1f}"

    body = _axes(top_value, ticks, labels, plot_w, plot_h, slots)
    if not values:
        body.append(f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" class="ecom-ai-chart-empty">No data for these filters yet.</text>')
    if band:
        low, high, start = band
        upper = [point(start + i, v) for i, v in enumerate(high)]
        lower = [point(start + i, v) for i, v in reversed(list(enumerate(low)))]
        body.append(f'<polygon points="{" ".join(upper + lower)}" fill="{COLOURS["forecast"]}" fill-opacity="0.18" class="ecom-ai-chart-band"/>')
    for line in lines:
        segment: list[str] = []
        segments = []
        for i, value in enumerate(line.values):
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
            else:
                segment.append(point(i, value))
        if segment:
            segments.append(segment)
        dash = ' stroke-dasharray="5 3"' if line.dashed else ""
        for segment in segments:
            if len(segment) == 1:
                x, y = segment[0].split(",")
                body.append(f'<circle cx="{x}" cy="{y}" r="2.5" fill="{line.colour}" data-label="{escape(line.label)}"/>')
            else:
                body.append(
                    f'<polyline points="{" ".join(segment)}" fill="none" stroke="{line.colour}" stroke-width="2"{dash} '
                    f'class="ecom-ai-chart-line" data-label="{escape(line.label)}"/>'
                )
    return _frame(title, body, [(line.label, line.colour, line.dashed) for line in lines])


def bar_chart(title: str, rows: Sequence[tuple[str, float]], *, signed: bool = False) -> SafeString:
    """Horizontal bars, largest first as given; ``signed`` draws negative values left of a zero line in red."""
    rows = list(rows)[:12]
    height = TOP + 22 * max(len(rows), 1) + 12
    label_w = 220
    plot_w = WIDTH - label_w - RIGHT - 50
    largest = max((abs(v) for _, v in rows), default=0) or 1
    zero = label_w + (plot_w / 2 if signed else 0)
    scale = (plot_w / 2 if signed else plot_w) / largest
    body = []
    if not rows:
        body.append(f'<text x="{WIDTH / 2}" y="{TOP + 14}" text-anchor="middle" class="ecom-ai-chart-empty">No data for these filters yet.</text>')
    for i, (label, value) in enumerate(rows):
        y = TOP + 22 * i
        width = abs(value) * scale
        x = zero - width if value < 0 else zero
        colour = COLOURS["negative"] if value < 0 else (COLOURS["positive"] if signed else COLOURS["current"])
        short = label if len(label) <= 30 else label[:29] + "…"
        body.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" class="ecom-ai-chart-axis">{escape(short)}</text>')
        body.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{max(width, 1):.1f}" height="15" fill="{colour}" class="ecom-ai-chart-bar"/>')
        text_x = (x - 4) if value < 0 else (x + width + 4)
        anchor = "end" if value < 0 else "start"
        body.append(f'<text x="{text_x:.1f}" y="{y + 14}" text-anchor="{anchor}" class="ecom-ai-chart-axis">{"+" if signed and value > 0 else ""}{number(value)}</text>')
    if signed:
        body.append(f'<line x1="{zero:.1f}" y1="{TOP}" x2="{zero:.1f}" y2="{height - 10}" stroke="#8a8f98"/>')
    return mark_safe(
        f'<svg class="ecom-ai-chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>' + "".join(body) + "</svg>"
    )
