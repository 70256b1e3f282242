"""A line chart of daily views and visitors, as numbers an SVG template can draw."""

import math
from dataclasses import dataclass

WIDTH, HEIGHT = 720, 320
# A phone draws the chart in a narrower frame, so that its text keeps the size it has on a computer.
NARROW = 340
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 48
LABEL_WIDTH = 60  # about how wide a date label is drawn, in the chart's own units


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: float
    top: int
    bottom: float
    views: list  # [(x, y)]
    visitors: list
    y_ticks: list
    x_ticks: list


def nice_step(value):
    """The smallest whole number of the form 1, 2 or 5 times a power of ten that is at least ``value``."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return int(step * power)
    return int(10 * power)


def line_chart(days, label_day, width=WIDTH):
    """Where each day's points and the axes' ticks go, ``width`` units wide; ``label_day`` writes a date
    for the x axis, which labels the first day and the last and as many between as fit."""
    right, bottom = width - RIGHT, HEIGHT - BOTTOM
    highest = max([day.views for day in days] + [day.visitors for day in days] + [0])
    step = nice_step(highest / 4)
    intervals = max(1, math.ceil(highest / step))
    top_value = step * intervals
    span = max(len(days) - 1, 1)

    def x(index):
        return round(LEFT + (right - LEFT) * (index / span if len(days) > 1 else 0.5), 1)

    def y(value):
        return round(bottom - (bottom - TOP) * value / top_value, 1)

    room = max(1, int((right - LEFT) // (LABEL_WIDTH * 1.5)))  # labels that fit with a gap between them
    every = max(1, math.ceil((len(days) - 1) / room))
    chosen = list(range(0, len(days), every))
    if days and chosen[-1] != len(days) - 1:
        if len(chosen) > 1 and (len(days) - 1 - chosen[-1]) < every * 0.6:
            chosen.pop()  # too near the last day's label to be read beside it
        chosen.append(len(days) - 1)
    x_ticks = [Tick(x(i), label_day(days[i].day)) for i in chosen]
    y_ticks = [Tick(y(step * n), f"{step * n:,}") for n in range(intervals + 1)]
    return Chart(
        width, HEIGHT, LEFT, right, TOP, bottom,
        [(x(i), y(day.views)) for i, day in enumerate(days)],
        [(x(i), y(day.visitors)) for i, day in enumerate(days)],
        y_ticks, x_ticks,
    )
