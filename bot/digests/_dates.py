"""Dates in digest titles: the week of a weekly issue, the day of a daily note.

Titles have changed over the years and will again, so the week accepts ``/``, ``.``, ``-`` and
``년 월 일`` separators, any dash or tilde between the ends, an end without its year or month
(``[2026/06/08 ~ 14]``), the English form of the DAIR.AI README (``(May 13 - May 19) - 2024``),
and a week that crosses a month or a year end. An impossible date is no date, never an error:
the file name or the source can still date the digest.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.digests._text import make_date

_DATE_KO = re.compile(r"((?:19|20)\d{2})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일")
_DATE_ISO = re.compile(r"((?:19|20)\d{2})[-./](\d{1,2})[-./](\d{1,2})(?!\d)")
_MAX_DATE_LINE = 40
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_PERIOD = re.compile(
    r"(?P<y1>(?:19|20)\d{2})\s*[./\-년]\s*(?P<m1>\d{1,2})\s*[./\-월]\s*(?P<d1>\d{1,2})\s*일?"
    r"\s*[~～〜\-–—]\s*"
    r"(?:(?:(?P<y2>(?:19|20)\d{2})\s*[./\-년]\s*)?(?P<m2>\d{1,2})\s*[./\-월]\s*)?"
    r"(?P<d2>\d{1,2})(?!\d)"
)
_PERIOD_EN = re.compile(
    r"(?P<mon1>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?\s+(?P<d1>\d{1,2})"
    r"\s*[~\-–—]\s*(?:(?P<mon2>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?\s+)?"
    r"(?P<d2>\d{1,2})\)?\s*[,\-–—]?\s*(?P<y>(?:19|20)\d{2})",
    re.IGNORECASE,
)


def parse_period(text: str) -> tuple[date, date | None] | None:
    """The week in an issue title, e.g. ``[2024/12/30 ~ 01/05]`` → (2024-12-30, 2025-01-05)."""
    sample = text[:300]
    if (match := _PERIOD.search(sample)) is not None:
        start = make_date(match["y1"], match["m1"], match["d1"])
        if start is None:
            return None
        year = int(match["y2"] or start.year)
        month = int(match["m2"] or start.month)
        day = int(match["d2"])
        if match["y2"] is None and (month, day) < (start.month, start.day):
            if match["m2"] is None:  # "[2024/05/27 ~ 02]": the next month
                month += 1
                if month > 12:
                    month, year = 1, year + 1
            else:  # "[2024/12/30 ~ 01/05]": the next year
                year += 1
        return start, _valid_end(start, make_date(year, month, day))
    if (match := _PERIOD_EN.search(sample)) is not None:
        month1 = _MONTHS.index(match["mon1"][:3].lower()) + 1
        month2 = _MONTHS.index(match["mon2"][:3].lower()) + 1 if match["mon2"] else month1
        year = int(match["y"])
        start = make_date(year, month1, match["d1"])
        if start is None:
            return None
        end_year = year + 1 if month2 < month1 else year
        return start, _valid_end(start, make_date(end_year, month2, match["d2"]))
    return None


def _valid_end(start: date, end: date | None) -> date | None:
    if end is None or end < start or end - start > timedelta(days=31):
        return None
    return end


def parse_date_line(text: str) -> date | None:
    """``2024년 2월 6일`` or ``2024-02-06`` (maybe with a weekday) as the whole line."""
    stripped = text.strip()
    if not stripped or len(stripped) > _MAX_DATE_LINE or "~" in stripped:
        return None
    match = _DATE_KO.match(stripped) or _DATE_ISO.match(stripped)
    return make_date(*match.groups()) if match else None
