"""Markdown links from digest data: a crafted URL cannot smuggle a second link."""

from __future__ import annotations

import re

import pytest

from bot.digests.models import Link, LinkKind
from bot.render.announcements import overview_message
from bot.render.markdown import markdown_link, safe_url
from bot.render.papers import paper_embed
from bot.store.records import IssueRecord, PaperRecord

CRAFTED = "https://example.org/evil)[click here](https://evil.example"
# Markdown links in rendered text: "[label](target)" with a target that has no ")" or space.
LINK = re.compile(r"\[[^\[\]]*\]\(([^()\s]*)\)")


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://x.com/a__b/status/1", "https://x.com/a__b/status/1"),
        (
            "https://en.wikipedia.org/wiki/Chameleon_(model)",
            "https://en.wikipedia.org/wiki/Chameleon_%28model%29",
        ),
        (CRAFTED, "https://example.org/evil%29%5Bclick%20here%5D%28https://evil.example"),
        ("https://a.example/<b>", "https://a.example/%3Cb%3E"),
        ("javascript:alert(1)", None),
        ("  ", None),
        (None, None),
    ],
)
def test_safe_url(url: str | None, safe: str | None) -> None:
    assert safe_url(url) == safe


def test_markdown_link_escapes_label_and_target() -> None:
    assert markdown_link("A [b] c", CRAFTED) == (
        "[A (b) c](https://example.org/evil%29%5Bclick%20here%5D%28https://evil.example)"
    )
    assert markdown_link("Title", "ftp://x") == "**Title**"


def _crafted_paper() -> PaperRecord:
    return PaperRecord(
        id=1,
        identity="title:gamma",
        title_en="Gamma](https://evil.example) [x",
        summary_en="short",
        links=[Link(kind=LinkKind.RELATED, url=CRAFTED)],
    )


def _targets(text: str) -> list[str]:
    return LINK.findall(text)


def test_paper_embed_has_one_link_per_url() -> None:
    embed = paper_embed(_crafted_paper(), "en")
    assert embed["url"] == safe_url(CRAFTED)
    links_field = next(f for f in embed["fields"] if "evil" in f["value"])
    assert _targets(links_field["value"]) == [safe_url(CRAFTED)]


def test_announcement_lines_have_one_link_per_paper() -> None:
    issue = IssueRecord(
        id=1, key="weekly:1", kind="weekly", title="Week", source="w.txt", paper_count=1
    )
    (embed,) = overview_message(issue, [_crafted_paper()], "en").embeds
    assert _targets(embed["description"]) == [safe_url(CRAFTED)]
