"""Charts for the report pages as inline SVG strings, drawn on the server (no script, no chart
library): a column per month or per line of the profit and loss (a loss below the zero line),
or a bar per category or aging bucket.

Pure functions of their data. Labels and amounts arrive already written for the reader (their
language, their currency's decimals); every text is escaped. Bars use `currentColor`, so the
page's CSS colours them, and presentation attributes only (no inline style: the app's CSP
allows none). Each chart is an `img` for assistive technology with its title, and every
figure is also in the table beside it on the page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

_FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def column_chart(
    *,
    title: str,
    labels: Sequence[str],
    values: Sequence[int],
    value_text: Callable[[int], str],
    width: int = 640,
    height: int = 240,
) -> str:
    """Vertical columns (e.g. revenue per month), each labelled below and its value beside it.

    A negative value (a loss, a month of refunds) hangs below a zero line drawn across the
    chart, paler than the others and with its value under it: drawn as zero it read as
    "nothing happened" while the table beside it showed the loss."""
    if len(labels) != len(values):
        raise ValueError("a chart needs one label per value")
    high, low = max([0, *values]), min([0, *values])
    top = 20  # room for the values above the columns
    bottom = 24 + (18 if low < 0 else 0)  # the labels, and the values under negative columns
    plot = height - top - bottom
    span = high - low
    zero = top + (round(plot * high / span) if span else plot)
    slot = width / max(len(values), 1)
    parts = [_open(title, width, height)]
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        bar = round(plot * abs(value) / span) if span else 0
        x = round(index * slot + slot * 0.15, 1)
        bar_width = round(slot * 0.7, 1)
        middle = round(index * slot + slot / 2, 1)
        said = f"{escape(label)}: {escape(value_text(value))}"
        if value < 0:
            parts.append(
                f'<rect x="{x}" y="{zero}" width="{bar_width}" height="{bar}" '
                f'fill="currentColor" fill-opacity="0.5"><title>{said}</title></rect>'
            )
            value_y = zero + bar + 14
        else:
            parts.append(
                f'<rect x="{x}" y="{zero - bar}" width="{bar_width}" height="{bar}" '
                f'fill="currentColor"><title>{said}</title></rect>'
            )
            value_y = zero - bar - 4
        parts.append(
            f'<text x="{middle}" y="{value_y}" text-anchor="middle" {_FONT}>'
            f"{escape(value_text(value))}</text>"
        )
        parts.append(
            f'<text x="{middle}" y="{height - 6}" text-anchor="middle" {_FONT}>'
            f"{escape(label)}</text>"
        )
    if low < 0:
        parts.append(
            f'<line x1="0" y1="{zero}" x2="{width}" y2="{zero}" stroke="currentColor" '
            'stroke-width="1" data-zero-line=""/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    values: Sequence[int],
    value_text: Callable[[int], str],
    width: int = 640,
    row_height: int = 28,
) -> str:
    """Horizontal bars (e.g. expenses per category), label on the left, value at the end."""
    _check(labels, values)
    label_width, value_width = round(width * 0.3), round(width * 0.2)
    plot = width - label_width - value_width
    height = max(len(values), 1) * row_height
    peak = max(values, default=0)
    parts = [_open(title, width, height)]
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        bar = round(plot * value / peak) if peak else 0
        y = index * row_height
        text_y = y + row_height // 2 + 4
        parts.append(
            f'<text x="{label_width - 8}" y="{text_y}" text-anchor="end" {_FONT}>'
            f"{escape(label)}</text>"
        )
        parts.append(
            f'<rect x="{label_width}" y="{y + 4}" width="{bar}" height="{row_height - 8}" '
            f'fill="currentColor"><title>{escape(label)}: {escape(value_text(value))}</title>'
            "</rect>"
        )
        parts.append(
            f'<text x="{label_width + bar + 6}" y="{text_y}" {_FONT}>'
            f"{escape(value_text(value))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _open(title: str, width: int, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
    )


def _check(labels: Sequence[str], values: Sequence[int]) -> None:
    if len(labels) != len(values):
        raise ValueError("a chart needs one label per value")
    if any(value < 0 for value in values):
        raise ValueError("bar charts draw amounts of zero or more")
