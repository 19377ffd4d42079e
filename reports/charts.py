"""Horizontal bar charts of shares, drawn as SVG by templates/reports/_chart.html.

Only geometry is computed here: every coordinate is a ready string (a template would
write a float with the German decimal comma), and every bar's text is the figure as
reports.suppression lets it be shown. A suppressed share gets no bar, only its text
("< 5", "> 20"); the baseline, if any, is a dashed line with a text label. Colour is
never the only carrier: each bar has its value written beside it.
"""

from dataclasses import dataclass, field

from reports.statistics import percent_text

WIDTH = 640
LABEL_WIDTH = 220
# 0 to 100 %.
PLOT_WIDTH = 330
TOP = 30
ROW_HEIGHT = 26
BAR_HEIGHT = 16
HEADING_HEIGHT = 26
BOTTOM = 26
TICKS = (0, 25, 50, 75, 100)


def _coordinate(value):
    return f"{value:.1f}"


def _x(percent):
    return LABEL_WIDTH + PLOT_WIDTH * percent / 100


@dataclass(frozen=True)
class Bar:
    label: str
    figure: object
    is_total: bool = False


@dataclass(frozen=True)
class Group:
    """Bars under an optional heading (e.g. one stage's four shares)."""

    heading: str | None
    bars: list


@dataclass
class Item:
    kind: str  # "heading" or "bar"
    label: str
    text_y: str
    bar_y: str = ""
    bar_width: str | None = None
    value: str = ""
    value_x: str = ""
    is_total: bool = False


@dataclass
class Chart:
    key: str
    title: str
    description: str
    items: list = field(default_factory=list)
    height: str = ""
    baseline: dict | None = None
    ticks: list = field(default_factory=list)

    width = str(WIDTH)
    label_x = str(LABEL_WIDTH - 8)
    axis_x = str(LABEL_WIDTH)


def value_text(figure):
    """A bar's text: the share where it is shown, else the figure ("< 5", "> 20")."""
    if figure.percent is None:
        return str(figure)
    return f"{percent_text(figure.percent)}\u00a0%"


def bar_chart(key, title, description, groups, *, baseline=None, baseline_text=""):
    """A chart of `groups` (Group); `baseline` a percent drawn as a dashed line labelled
    `baseline_text`."""
    chart = Chart(key=key, title=title, description=description)
    y = TOP
    for group in groups:
        if group.heading:
            chart.items.append(
                Item(kind="heading", label=group.heading, text_y=_coordinate(y + 17))
            )
            y += HEADING_HEIGHT
        for bar in group.bars:
            percent = bar.figure.percent
            end = _x(percent) if percent is not None else LABEL_WIDTH
            chart.items.append(
                Item(
                    kind="bar",
                    label=bar.label,
                    text_y=_coordinate(y + BAR_HEIGHT - 3),
                    bar_y=_coordinate(y),
                    bar_width=_coordinate(end - LABEL_WIDTH) if percent is not None else None,
                    value=value_text(bar.figure),
                    value_x=_coordinate(end + 6),
                    is_total=bar.is_total,
                )
            )
            y += ROW_HEIGHT
    plot_bottom = y
    chart.height = _coordinate(plot_bottom + BOTTOM)
    chart.ticks = [
        {
            "x": _coordinate(_x(tick)),
            "y1": _coordinate(TOP - 4),
            "y2": _coordinate(plot_bottom),
            "text_y": _coordinate(plot_bottom + 16),
            "text": f"{tick} %",
        }
        for tick in TICKS
    ]
    if baseline is not None:
        chart.baseline = {
            "x": _coordinate(_x(baseline)),
            "y1": _coordinate(TOP - 10),
            "y2": _coordinate(plot_bottom),
            "text_x": _coordinate(_x(baseline) + 4),
            "text_y": _coordinate(TOP - 14),
            "text": baseline_text,
        }
    return chart
