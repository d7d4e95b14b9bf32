"""The trend chart as a real PNG: it decodes, has the promised size, shows the series' counts,
and sets Hangul in the bundled font (matplotlib reports no missing glyph)."""

from __future__ import annotations

import datetime as dt
import io
import logging
import warnings
from collections.abc import Callable

import pytest
from fontTools.ttLib import TTFont
from matplotlib import rc_context
from matplotlib.figure import Figure
from PIL import Image

from bot.i18n import Lang
from bot.render import charts
from bot.render.chart_text import chart_description, rising_line, trend_summary
from bot.render.charts import FONT_FILE, SIZE, font_family, render_trend_chart
from bot.render.limits import CONTENT
from bot.store.papers.trends import RisingTag, TrendSeries

MONDAYS = tuple(dt.date(2024, 4, 22) + dt.timedelta(weeks=i) for i in range(4))
SERIES = TrendSeries(
    weeks=MONDAYS,
    tags=("llm", "강화학습", "비전-언어-모델", "multimodal"),
    counts=((5, 3, 0, 8), (0, 1, 2, 4), (1, 0, 0, 3), (0, 0, 0, 2)),
    totals=(7, 4, 2, 17),
    recent_weeks=1,
    rising=(RisingTag("강화학습", 4, recent_share=4 / 17, before_share=3 / 13),),
)


def missing_glyphs(draw: Callable[[], object]) -> list[str]:
    """Every "Glyph ... missing from font(s)" warning matplotlib gives while ``draw()`` runs."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw()
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_chart_is_a_png_of_the_promised_size(lang: Lang) -> None:
    png = render_trend_chart(SERIES, lang)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    image.load()  # decodes every pixel, not only the header
    assert image.format == "PNG"
    assert image.size == SIZE
    assert len(png) < 1024 * 1024  # far below Discord's attachment limit
    colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is not None
    assert len(colours) > 50  # drawn, not a blank canvas


def test_korean_labels_are_set_in_the_bundled_font_without_missing_glyphs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="matplotlib"):
        missing = missing_glyphs(lambda: render_trend_chart(SERIES, "ko"))
    assert missing == []
    assert "findfont" not in caplog.text  # the family was found, no silent fallback
    assert font_family() == "NanumSquare"


def test_the_glyph_check_catches_a_font_without_hangul() -> None:
    """The check above would fail if the chart fell back to matplotlib's own font."""

    def draw_with_dejavu() -> None:
        with rc_context({"font.family": ["DejaVu Sans"]}):
            figure = Figure()
            figure.text(0.5, 0.5, "주별 많이 다룬 태그")
            figure.savefig(io.BytesIO(), format="png")

    assert any("HANGUL" in message for message in missing_glyphs(draw_with_dejavu))


def test_the_chart_draws_exactly_the_series() -> None:
    with rc_context({"font.family": [font_family(), "DejaVu Sans"]}):
        figure = charts._draw(SERIES, "en")
    totals_axes, heat_axes = figure.axes[:2]
    cells = {
        (round(text.get_position()[1]), round(text.get_position()[0])): int(text.get_text())
        for text in heat_axes.texts
    }
    assert cells == {
        (i, j): value for i, row in enumerate(SERIES.counts) for j, value in enumerate(row) if value
    }
    assert [label.get_text() for label in heat_axes.get_yticklabels()] == [
        "llm",
        "▲ 강화학습",
        "비전-언어-모델",
        "multimodal",
    ]
    assert [bar.get_height() for bar in totals_axes.patches] == list(SERIES.totals)
    assert [label.get_text() for label in heat_axes.get_xticklabels()] == [
        "04-22",
        "04-29",
        "05-06",
        "05-13",
    ]


def test_the_bundled_font_covers_modern_hangul_and_ships_its_licence() -> None:
    cmap = TTFont(FONT_FILE).getBestCmap()
    assert all(code in cmap for code in range(0xAC00, 0xD7A4))  # all 11,172 syllables
    assert all(chr(code) in "\t\n" or code in cmap for code in range(0x20, 0x7F))
    licence = (FONT_FILE.parent / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE" in licence
    assert "NAVER Corporation" in licence


def test_the_text_beside_the_chart() -> None:
    summary = trend_summary(SERIES, "en")
    assert summary.splitlines()[0] == "**Tag trends** · 4 weeks, 2024-04-22 – 2024-05-19"
    assert summary.splitlines()[1] == rising_line(SERIES, "en")
    assert rising_line(SERIES, "en") == (
        "Rising: `강화학습` 23% → 24% (share of all tag mentions from 2024-05-13 on,"
        " vs. the 3 weeks before)"
    )
    assert rising_line(SERIES, "ko").startswith("떠오르는 태그: `강화학습` 23% → 24%")
    assert len(summary) <= CONTENT
    assert "강화학습 7" in chart_description(SERIES, "ko")


def test_the_rising_line_explains_an_empty_answer() -> None:
    quiet = TrendSeries(
        weeks=MONDAYS,
        tags=("llm",),
        counts=((0, 0, 0, 3),),
        totals=(0, 0, 0, 3),
        recent_weeks=1,
    )
    assert "not enough history" in rising_line(quiet, "en")
    assert "비교할 기록이 부족합니다" in rising_line(quiet, "ko")
    flat = TrendSeries(
        weeks=MONDAYS, tags=("llm",), counts=((1, 1, 1, 1),), totals=(1, 1, 1, 1), recent_weeks=1
    )
    assert rising_line(flat, "en") == (
        "Rising: none (no tag's share of mentions grew from 2024-05-13 on)."
    )
