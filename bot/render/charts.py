"""The trend chart as a PNG: a heat map of tag mentions per ISO week, weekly totals above.

matplotlib with the Agg backend, used through ``Figure`` and ``FigureCanvasAgg`` (no pyplot,
no GUI, no global backend). It is imported on the first chart, not when the bot starts, and
charts are drawn one at a time (``_LOCK``): matplotlib's font cache and ``rcParams`` are
process-wide. Call this from a worker thread (``bot.services.trends`` does): one chart takes a
few hundred milliseconds.

Text is set in NanumSquare (``fonts/``, SIL OFL 1.1), which covers Hangul and Latin, so Korean
tags and labels render instead of empty boxes; DejaVu Sans (bundled with matplotlib) is the
fallback for the few symbols NanumSquare lacks.
"""

from __future__ import annotations

import io
import math
import threading
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from bot.i18n import Lang, t
from bot.render.chart_text import period
from bot.render.limits import shorten
from bot.store.papers.trends import TrendSeries

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["DPI", "FONT_FILE", "SIZE", "font_family", "render_trend_chart"]

FONT_FILE = Path(str(resources.files("bot.render").joinpath("fonts", "NanumSquareR.ttf")))
FALLBACK_FONT = "DejaVu Sans"
SIZE = (1200, 675)  # pixels: 16:9, what Discord previews at full width
DPI = 100
LABEL_CHARS = 28  # longer tags are shortened on the axis
MAX_CELL_NUMBERS = 26  # weeks up to which every cell shows its count
COLORMAP = "YlGnBu"
RISING_COLOR = "#c2410c"
BAR_COLOR = "#64748b"
EMPTY_COLOR = "#f8fafc"

_LOCK = threading.Lock()
_family: str | None = None


def font_family() -> str:
    """The bundled font's family name, registered with matplotlib on first use."""
    global _family
    if _family is None:
        from matplotlib import font_manager

        font_manager.fontManager.addfont(str(FONT_FILE))
        _family = font_manager.FontProperties(fname=FONT_FILE).get_name()
    return _family


def render_trend_chart(series: TrendSeries, lang: Lang) -> bytes:
    """The chart of ``series`` with its labels in ``lang``, as PNG bytes of size ``SIZE``."""
    from matplotlib import rc_context

    with _LOCK:
        family = [font_family(), FALLBACK_FONT]
        # NanumSquare has no U+2212 minus sign: ASCII hyphens on axes (no negatives anyway)
        with rc_context({"font.family": family, "axes.unicode_minus": False, "font.size": 11}):
            figure = _draw(series, lang)
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": "paperbot"})
    return buffer.getvalue()


def _draw(series: TrendSeries, lang: Lang) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    width, height = SIZE
    figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    totals_axes, heat_axes = figure.subplots(
        2, 1, sharex=True, gridspec_kw={"height_ratios": [1, 4]}
    )
    start, end = period(series)
    figure.suptitle(
        f"{t('trends.chart_title', lang)}\n{t('trends.chart_period', lang, start=start, end=end)}",
        fontsize=14,
    )
    _totals(totals_axes, series, lang)
    _heat_map(figure, heat_axes, series, lang)
    return figure


def _totals(axes: Axes, series: TrendSeries, lang: Lang) -> None:
    from matplotlib.ticker import MaxNLocator

    positions = range(len(series.weeks))
    axes.bar(positions, series.totals, color=BAR_COLOR, width=0.8)
    axes.set_ylabel(t("trends.chart_all", lang), fontsize=9)
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(axis="x", bottom=False)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
    axes.set_ylim(0, max(1, *series.totals) * 1.15)


def _heat_map(figure: Figure, axes: Axes, series: TrendSeries, lang: Lang) -> None:
    import numpy
    from matplotlib import colormaps
    from matplotlib.ticker import MaxNLocator

    counts = [list(row) for row in series.counts]
    peak = max((value for row in counts for value in row), default=0)
    grid = numpy.ma.masked_equal(numpy.array(counts or [[0] * len(series.weeks)]), 0)
    image = axes.imshow(
        grid,
        aspect="auto",
        cmap=colormaps[COLORMAP].with_extremes(bad=EMPTY_COLOR),  # no mention: near white
        vmin=0,
        vmax=max(peak, 1),
        interpolation="nearest",
    )
    rising = {r.tag for r in series.rising}
    labels = [("▲ " if tag in rising else "") + shorten(tag, LABEL_CHARS) for tag in series.tags]
    axes.set_yticks(range(len(labels)), labels=labels)
    for label, tag in zip(axes.get_yticklabels(), series.tags, strict=True):
        if tag in rising:
            label.set_color(RISING_COLOR)
    step = max(1, math.ceil(len(series.weeks) / 13))
    ticks = list(range(len(series.weeks)))[::-1][::step][::-1]  # always label the last week
    axes.set_xticks(ticks, labels=[series.weeks[i].strftime("%m-%d") for i in ticks])
    axes.set_xlabel(t("trends.chart_week", lang))
    axes.tick_params(length=0)
    if len(series.weeks) <= MAX_CELL_NUMBERS:
        for i, row in enumerate(counts):
            for j, value in enumerate(row):
                if value:
                    dark = value > peak * 0.6
                    axes.text(
                        j,
                        i,
                        str(value),
                        ha="center",
                        va="center",
                        fontsize=9,
                        color="white" if dark else "#1e293b",
                    )
    bar = figure.colorbar(image, ax=axes, pad=0.01, fraction=0.03)
    bar.set_label(t("trends.chart_mentions", lang))
    bar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if rising:
        axes.set_title(t("trends.chart_rising", lang), loc="right", color=RISING_COLOR, fontsize=10)
