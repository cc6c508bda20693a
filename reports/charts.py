"""Simple SVG bar charts drawn on the server for the report PDFs.

Hand-written SVG (no plotting library): every chart is a ``role="img"`` element with a
``<title>`` and ``<desc>`` that screen readers announce, every bar carries its value as text,
and the colours differ in lightness as well as hue so the chart survives black-and-white
printing. A value may be a number or a string (a suppressed cell such as "< 5"): such a bar is
not drawn, only its label, so the chart never shows more than the table next to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import count
from xml.sax.saxutils import escape

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

Value = int | float | Decimal | str | None

# Dark to light, distinguishable in greyscale.
PALETTE = ("#1f4e79", "#7fa7cf", "#c55a11", "#f4b183", "#548235", "#a9d18e")
WIDTH = 640
BAR_AREA_HEIGHT = 180
LABEL_HEIGHT = 52
MAX_LABEL_LINES = 4
LEGEND_HEIGHT = 22
TOP = 22
LEFT = 10

_ids = count(1)


def _number(value: Value) -> float | None:
    if value is None or isinstance(value, str):
        return None
    return float(value)


def _label(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    # Amounts in the thousands read better whole; small decimals keep one place.
    places = 0 if float(value).is_integer() or abs(float(value)) >= 100 else 1
    return number_format(
        round(float(value), places), decimal_pos=places, use_l10n=True, force_grouping=True
    )


def _text(x: float, y: float, text: str, *, size: float = 9, anchor: str = "middle") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'font-family="DejaVu Sans, sans-serif" fill="#111">{escape(text)}</text>'
    )


def _wrapped(x: float, y: float, text: str, width: float) -> str:
    """A category label broken into lines that fit ``width`` (about 5.5 px per character)."""
    limit = max(int(width / 5.5), 6)
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > limit:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    if len(lines) > MAX_LABEL_LINES:
        lines = [*lines[: MAX_LABEL_LINES - 1], " ".join(lines[MAX_LABEL_LINES - 1 :])]
    return "".join(_text(x, y + 11 * i, part) for i, part in enumerate(lines))


def _frame(title: str, desc: str, height: float, body: list[str]) -> SafeString:
    chart_id = f"chart{next(_ids)}"
    return mark_safe(  # noqa: S308 - every text inside is escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" '
        f'height="{height:.0f}" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _data_in_words(categories: Sequence[str], series: Sequence[tuple[str, Sequence[Value]]]):
    parts = []
    for c, category in enumerate(categories):
        values = ", ".join(f"{name} {_label(values[c])}".strip() for name, values in series)
        parts.append(f"{category}: {values}")
    return "; ".join(parts) + "." if parts else ""


def grouped_bar_chart(
    *,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[Value]]],
) -> SafeString:
    """Bars grouped by category, one bar per series (e.g. risk level × at entry / at the end).

    ``series`` is ``[(name, [value per category]), ...]``; a legend names the series when
    there is more than one. All bars share one scale starting at zero.
    ``desc`` is followed by every value in words, so the description alone carries the data.
    """
    desc = " ".join([desc, _data_in_words(categories, series)]).strip()
    numbers = [_number(v) for _name, values in series for v in values]
    top = max([n for n in numbers if n is not None] + [0])
    scale = BAR_AREA_HEIGHT / top if top else 0
    legend = LEGEND_HEIGHT if len(series) > 1 else 0
    base_y = TOP + legend + BAR_AREA_HEIGHT
    group_width = (WIDTH - 2 * LEFT) / max(len(categories), 1)
    bar_width = min(48.0, group_width * 0.8 / max(len(series), 1))
    body = [
        f'<line x1="{LEFT}" y1="{base_y:.1f}" x2="{WIDTH - LEFT}" y2="{base_y:.1f}" '
        'stroke="#666" stroke-width="0.8"/>'
    ]
    if legend:
        x = LEFT
        for index, (name, _values) in enumerate(series):
            colour = PALETTE[index % len(PALETTE)]
            body.append(
                f'<rect x="{x}" y="{TOP - 2}" width="10" height="10" fill="{colour}"/>'
                + _text(x + 14, TOP + 7, name, anchor="start")
            )
            x += 24 + 7 * len(name)
    for c, category in enumerate(categories):
        group_x = LEFT + c * group_width + (group_width - bar_width * len(series)) / 2
        for s, (_name, values) in enumerate(series):
            value = values[c]
            number = _number(value)
            x = group_x + s * bar_width
            height = (number or 0) * scale
            if number:
                colour = PALETTE[s % len(PALETTE)]
                body.append(
                    f'<rect x="{x + 1:.1f}" y="{base_y - height:.1f}" width="{bar_width - 2:.1f}" '
                    f'height="{height:.1f}" fill="{colour}"/>'
                )
            body.append(_text(x + bar_width / 2, base_y - height - 3, _label(value), size=8))
        body.append(_wrapped(LEFT + (c + 0.5) * group_width, base_y + 13, category, group_width))
    return _frame(title, desc, base_y + LABEL_HEIGHT, body)


def bar_chart(
    *, title: str, desc: str, labels: Sequence[str], values: Sequence[Value]
) -> SafeString:
    """One bar per label, each with its value written above it."""
    return grouped_bar_chart(title=title, desc=desc, categories=labels, series=[("", values)])
