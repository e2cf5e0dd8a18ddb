"""Static SVG bar charts made at build time, each with its numbers as a table beside it.

No script and no external asset: the chart reads without JavaScript, prints, and a screen
reader gets the same numbers from the table.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .render import environment

# Colour-blind-safe palette (Okabe–Ito), dark enough on white
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#999999", "#F0E442"]
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 260, 48, 36, 12


@dataclass
class Series:
    name: str
    values: list  # numbers or None (blank in the report: not drawn, blank in the table)


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str


def nice_max(value: float) -> float:
    if value <= 0:
        return 1
    step = 10 ** (len(str(int(value))) - 1)
    return ((int(value) // step) + 1) * step


def layout(categories: list[str], series: list[Series], stacked: bool) -> dict:
    totals = [sum(float(s.values[i] or 0) for s in series) for i in range(len(categories))]
    biggest = max(totals if stacked else [float(v or 0) for s in series for v in s.values] or [0])
    top = nice_max(biggest)
    plot_w, plot_h = WIDTH - LEFT - 10, HEIGHT - BOTTOM - TOP
    slot = plot_w / max(1, len(categories))
    bars = []
    for i, category in enumerate(categories):
        base = 0.0
        for k, s in enumerate(series):
            value = s.values[i]
            if value is None:
                continue
            h = float(value) / top * plot_h
            if stacked:
                x, w, y = LEFT + i * slot + slot * 0.2, slot * 0.6, TOP + plot_h - base - h
                base += h
            else:
                w = slot * 0.8 / len(series)
                x, y = LEFT + i * slot + slot * 0.1 + k * w, TOP + plot_h - h
            bars.append(Bar(round(x, 1), round(y, 1), round(w, 1), round(h, 1), PALETTE[k % len(PALETTE)],
                            f"{category} {s.name}：{value}"))
    ticks = [(round(TOP + plot_h - plot_h * f, 1), format_tick(top * f)) for f in (0, 0.25, 0.5, 0.75, 1)]
    labels = [(round(LEFT + (i + 0.5) * slot, 1), c) for i, c in enumerate(categories)]
    return {"bars": bars, "ticks": ticks, "labels": labels, "width": WIDTH, "height": HEIGHT,
            "left": LEFT, "bottom": HEIGHT - BOTTOM, "right": WIDTH - 10}


def format_tick(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def bar_chart(chart_id: str, title: str, categories: list[str], series: list[Series], stacked: bool = True,
              note: str = "") -> str:
    data = layout(categories, series, stacked)
    return template().render(id=chart_id, title=title, categories=categories, series=series, note=note,
                             legend=[(s.name, k % len(PALETTE)) for k, s in enumerate(series)],  # nb-c<k> in CSS
                             **data).strip()


@functools.cache
def template():
    return environment().get_template("chart.html")
