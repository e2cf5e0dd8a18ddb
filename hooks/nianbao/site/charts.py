"""Static SVG charts made at build time, each with its numbers as a table beside it.

No script and no external asset: a chart reads without JavaScript, prints, and a screen reader
gets the same numbers from the table (collapsed under the chart, never removed).

Responsive without scaling text: the SVG has no viewBox; horizontal positions are percentages of
its width and vertical ones pixels, so the chart fills the content width on a phone and on a
desktop while its text stays at the pixel size set here (≥ 12 px).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from decimal import Decimal

from .jinja import environment

# Colour-blind-safe palette (Okabe–Ito), dark enough on white; the legend uses the same colours
# as CSS classes nb-c0 … nb-c7 (no inline styles: the pages' CSP allows none).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#999999", "#F0E442"]
HEIGHT, TOP, BOTTOM = 240, 22, 26  # px: the plot lies between TOP and HEIGHT - BOTTOM
FONT = 12  # px, at the rendered size
ROW = 34  # px per unit in a ranked chart


@dataclass
class Series:
    name: str
    values: list  # numbers or None (blank in the report: not drawn, blank in the table)


@dataclass
class Bar:
    x: float  # %
    y: float  # px
    width: float  # %
    height: float  # px
    colour: str
    label: str
    faded: bool = False


def nice_ticks(biggest: float, count: int = 4, integer: bool = True) -> list[float]:
    """0 and evenly spaced round values up to at least `biggest` (steps of 1, 2 or 5 × 10ⁿ);
    whole numbers for counts."""
    if biggest <= 0:
        return [0, 1]
    raw = biggest / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if integer:
        step = max(1, round(step))
    top = math.ceil(biggest / step) * step
    return [i * step for i in range(int(round(top / step)) + 1)]


def chinese_number(value) -> str:
    """Counts as Chinese readers write them: 9,999 then 1.2万, 3.4亿."""
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    value = int(value) if not isinstance(value, Decimal) or value == value.to_integral() else value
    for unit, size in (("亿", 10 ** 8), ("万", 10 ** 4)):
        if abs(value) >= size:
            return f"{float(value) / size:.1f}".rstrip("0").rstrip(".") + unit
    return f"{value:,}" if isinstance(value, int) else str(value)


def y_of(value: float, top: float) -> float:
    plot = HEIGHT - TOP - BOTTOM
    return round(TOP + plot - float(value) / top * plot, 1)


def bars_layout(categories: list[str], series: list[Series], stacked: bool) -> dict:
    totals = [sum(float(s.values[i] or 0) for s in series) for i in range(len(categories))]
    biggest = max(totals if stacked else [float(v or 0) for s in series for v in s.values] or [0])
    ticks = nice_ticks(biggest)
    top = ticks[-1]
    slot = 100 / max(1, len(categories))
    bars, labels = [], []
    latest = len(categories) - 1
    for i, category in enumerate(categories):
        base = 0.0
        for k, s in enumerate(series):
            value = s.values[i]
            if value is None:
                continue
            if stacked:
                x, width, y = i * slot + slot * 0.2, slot * 0.6, y_of(base + float(value), top)
                height = round(y_of(base, top) - y, 1)
                base += float(value)
            else:
                width = slot * 0.7 / len(series)
                x, y = i * slot + slot * 0.15 + k * width, y_of(value, top)
                height = round(y_of(0, top) - y, 1)
                labels.append((round(x + width / 2, 2), y - 4, chinese_number(value), i == latest))
            bars.append(Bar(round(x, 2), y, round(width, 2), height, PALETTE[k % len(PALETTE)],
                            f"{category} {s.name}：{value}", faded=False))  # the legend's colours, every year
        if stacked and any(s.values[i] is not None for s in series):
            labels.append((round((i + 0.5) * slot, 2), y_of(totals[i], top) - 5, chinese_number(totals[i]), i == latest))
    return {"bars": bars, "labels": labels, "ticks": [(y_of(t, top), chinese_number(t)) for t in ticks],
            "categories": [(round((i + 0.5) * slot, 2), c, i == latest) for i, c in enumerate(categories)]}


def bar_chart(chart_id: str, title: str, categories: list[str], series: list[Series], stacked: bool = True,
              note: str = "") -> str:
    data = bars_layout(categories, series, stacked)
    return template("chart.html").render(
        id=chart_id, title=title, table_categories=categories, series=series, note=note, height=HEIGHT,
        bottom=HEIGHT - BOTTOM, font=FONT, legend=[(s.name, k % len(PALETTE)) for k, s in enumerate(series)],
        **data).strip()


def line_chart(chart_id: str, title: str, categories: list[str], series: list[Series], note: str = "") -> str:
    """Shares (0–1) across years: one line per series, a gap where a value is not known."""
    slot = 100 / max(1, len(categories))
    lines = []
    for k, s in enumerate(series):
        points = [(round((i + 0.5) * slot, 2), y_of(v, 1), v) for i, v in enumerate(s.values) if v is not None]
        lines.append({"name": s.name, "colour": PALETTE[k % len(PALETTE)], "points": points,
                      "segments": consecutive(s.values, slot), "last": points[-1] if points else None})
    ticks = [(y_of(t / 100, 1), f"{t}%") for t in (0, 25, 50, 75, 100)]
    table = [Series(s.name, [None if v is None else f"{v:.1%}" for v in s.values]) for s in series]
    return template("line.html").render(
        id=chart_id, title=title, lines=lines, ticks=ticks, note=note, height=HEIGHT, bottom=HEIGHT - BOTTOM,
        font=FONT, legend=[(s.name, k % len(PALETTE)) for k, s in enumerate(series)], table_categories=categories,
        series=table, categories=[(round((i + 0.5) * slot, 2), c, i == len(categories) - 1)
                                  for i, c in enumerate(categories)]).strip()


def consecutive(values: list, slot: float) -> list[tuple]:
    """Line segments between neighbouring known values (a blank year breaks the line)."""
    out = []
    for i in range(len(values) - 1):
        a, b = values[i], values[i + 1]
        if a is not None and b is not None:
            out.append((round((i + 0.5) * slot, 2), y_of(a, 1), round((i + 1.5) * slot, 2), y_of(b, 1)))
    return out


def ranked_chart(chart_id: str, title: str, items: list[tuple[str, object]], note: str = "") -> str:
    """Units ranked by one figure, largest first: a name above each bar, the number at its end."""
    known = sorted(((name, v) for name, v in items if v is not None), key=lambda kv: (-kv[1], kv[0]))
    biggest = float(known[0][1]) if known else 0
    rows = [{"name": name, "value": value, "shown": chinese_number(value), "y": i * ROW,
             "width": round(float(value) / biggest * 80, 2) if biggest else 0}
            for i, (name, value) in enumerate(known)]
    return template("ranked.html").render(id=chart_id, title=title, rows=rows, height=len(rows) * ROW + 4,
                                          font=FONT, note=note, colour=PALETTE[0]).strip()


@functools.cache
def template(name: str):
    return environment().get_template(name)
