"""Every command that takes a paper title parses it through one helper, ``parse_title``,
and no value an autocomplete (or a member typing instead of choosing) can send makes a
command fail with "Something went wrong".

The input space: every Unicode character that Python calls a digit, decimal or numeric
(``²``, ``٣``, ``Ⅻ``, ``½``...), alone and in runs; empty and whitespace-only text; numbers
too big for SQLite; negative numbers; the autocomplete's own value format (``str(id)``).
"""

from __future__ import annotations

import contextlib
import sys

import pytest

from bot.app import App
from bot.services.lookup import MAX_PAPER_ID, Lookup, TitleChoice, parse_title
from bot.services.refusals import UserFacingError

DIGIT_LIKE = [
    chr(code)
    for code in range(sys.maxunicode + 1)
    if chr(code).isdigit() or chr(code).isdecimal() or chr(code).isnumeric()
]
ODD = [
    "",
    " ",
    "\t\n",
    "\u3000",  # ideographic space
    "0",
    "00",
    "-1",
    "-0",
    "+5",
    "1.5",
    "1e3",
    " 12 ",
    str(MAX_PAPER_ID),
    str(MAX_PAPER_ID + 1),
    "9" * 19,
    "9" * 400,
    "1_000",
    "²",
    "1²",
    "٣",
    "１２",  # fullwidth digits
    "Ⅻ",
    "½",
]


def test_digit_like_characters_are_many() -> None:
    assert len(DIGIT_LIKE) > 1000  # the whole space, not a sample


def test_no_digit_like_character_is_an_id_but_ascii_digits() -> None:
    for value in DIGIT_LIKE:
        for text in (value, value * 3, f" {value} ", f"1{value}"):
            choice = parse_title(text)
            if set(text.strip()) <= set("0123456789") and int(text) > 0:
                assert choice == TitleChoice(text.strip(), int(text)), repr(text)
            else:
                assert choice == TitleChoice(text.strip()), repr(text)


@pytest.mark.parametrize("value", ODD)
def test_odd_values_never_raise(value: str) -> None:
    choice = parse_title(value)
    assert choice.text == value.strip()
    if choice.paper_id is not None:
        assert 0 < choice.paper_id <= MAX_PAPER_ID
        assert choice.text.isascii()


def test_the_autocomplete_value_format_is_an_id() -> None:
    for paper_id in (1, 42, MAX_PAPER_ID):
        assert parse_title(str(paper_id)) == TitleChoice(str(paper_id), paper_id)
    assert parse_title(" 42 ").paper_id == 42
    assert parse_title(str(MAX_PAPER_ID + 1)).paper_id is None
    assert parse_title("-3").paper_id is None
    assert parse_title("0").paper_id is None


SERVICE_INPUTS = [*ODD, *DIGIT_LIKE[::37], "".join(DIGIT_LIKE[:300])]


async def test_every_title_command_answers_every_value(app: App, lookup: Lookup) -> None:
    """``/paper show``, ``/paper related`` and ``/library remove`` with each value: a paper
    or a refusal the member can read, never an unexpected error."""
    discovery, store = app.discovery, app.store
    papers = [s.id for s in await store.suggest_titles("", limit=1)]
    await store.library.save(7, papers[0])
    calls = [
        lambda v: discovery.paper(v, "en"),
        lambda v: discovery.related(v, "en"),
        lambda v: discovery.remove(7, v, "en") if v != str(papers[0]) else discovery.paper(v, "en"),
        lambda v: lookup.paper(v, "en"),
    ]
    for value in [*SERVICE_INPUTS, str(papers[0])]:
        for call in calls:
            # a paper, or "no such paper" / "not in your list": a sentence the member reads
            with contextlib.suppress(UserFacingError):
                await call(value)
