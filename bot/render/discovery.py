"""Related papers, reading lists and reading-list picks as plain message data.

Paper views carry two persistent buttons, ``paper:related:<id>`` and ``paper:save:<id>``;
a message listing several papers (an alert DM) carries two menus, ``papers:related`` and
``papers:save``, whose options are paper ids. Any of them works for whoever presses it,
whenever: ``bot.discord.paper_actions`` handles these custom ids, with no view kept in memory.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.i18n import Lang, t
from bot.render.limits import DESCRIPTION, FIELD_VALUE, fit_message, shorten
from bot.render.markers import with_marker
from bot.render.message import Component, Embed
from bot.render.papers import COLOUR, paper_embed, paper_title, paper_url
from bot.store.community.library import MAX_SAVED, SavedPaper
from bot.store.records import IssueRecord, PaperRecord

__all__ = [
    "LIBRARY_PAGE",
    "RELATED_PREFIX",
    "SAVE_PREFIX",
    "library_embed",
    "library_markdown",
    "paper_actions",
    "paper_view",
    "papers_actions",
    "picks_embeds",
    "related_embed",
]

RELATED_PREFIX = "paper:related:"
SAVE_PREFIX = "paper:save:"
RELATED_MENU = "papers:related"
SAVE_MENU = "papers:save"
LIBRARY_PAGE = 10
MENU_OPTIONS = 25  # Discord's limit per select menu
LINE_TITLE = 150


def paper_actions(paper_id: int, lang: Lang) -> list[Component]:
    """The Related and Save buttons under one paper."""
    return [
        {
            "type": 1,
            "components": [
                {
                    "type": 2,
                    "style": 2,
                    "label": t("button.related", lang),
                    "custom_id": f"{RELATED_PREFIX}{paper_id}",
                },
                {
                    "type": 2,
                    "style": 1,
                    "label": t("button.save", lang),
                    "custom_id": f"{SAVE_PREFIX}{paper_id}",
                },
            ],
        }
    ]


def papers_actions(papers: Sequence[PaperRecord], lang: Lang) -> list[Component]:
    """Save and Related menus for a message listing several papers (at most 25 each)."""
    if not papers:
        return []
    unique: dict[int, PaperRecord] = {}
    for paper in papers:  # a paper both matched and picked is offered once
        unique.setdefault(paper.id, paper)
    options = [
        {"label": shorten(paper_title(paper), 100) or str(paper.id), "value": str(paper.id)}
        for paper in list(unique.values())[:MENU_OPTIONS]
    ]

    def menu(custom_id: str, placeholder: str) -> Component:
        return {
            "type": 1,
            "components": [
                {
                    "type": 3,
                    "custom_id": custom_id,
                    "placeholder": placeholder,
                    "min_values": 1,
                    "max_values": 1,
                    "options": options,
                }
            ],
        }

    return [
        menu(SAVE_MENU, t("select.save_paper", lang)),
        menu(RELATED_MENU, t("select.related_paper", lang)),
    ]


def paper_view(paper: PaperRecord, lang: Lang) -> tuple[Embed, list[Component]]:
    """A paper's detail embed and its buttons."""
    return paper_embed(paper, lang), paper_actions(paper.id, lang)


def _link(title: str, url: str | None) -> str:
    safe = title.replace("[", "(").replace("]", ")")
    return f"[{safe}]({url})" if url else f"**{safe}**"


def _lines(lines: Sequence[str], budget: int) -> str:
    kept: list[str] = []
    used = 0
    for line in lines:
        if used + len(line) + 1 > budget:
            break
        kept.append(line)
        used += len(line) + 1
    return "\n".join(kept)


def related_embed(
    paper: PaperRecord,
    related: Sequence[tuple[PaperRecord, Sequence[str]]],
    lang: Lang,
) -> Embed:
    """Up to five papers close to ``paper``, each with one line on what they share."""
    title = t("related.title", lang, title=shorten(paper_title(paper), 200))
    if not related:
        return fit_message(
            [
                {
                    "title": title,
                    "description": t("related.none", lang, title=shorten(paper_title(paper), 200)),
                    "color": COLOUR,
                }
            ]
        )[0]
    lines = []
    for number, (other, reasons) in enumerate(related, start=1):
        line = f"**{number}.** " + _link(shorten(paper_title(other), LINE_TITLE), paper_url(other))
        if other.title_en and other.title_ko:
            line += "\n" + shorten(other.title_ko, LINE_TITLE)
        if reasons:
            shares = t("related.shares", lang, reasons=", ".join(reasons))
            line += "\n" + shorten(shares, 200)
        lines.append(line)
    embed: Embed = {
        "title": title,
        "description": _lines(lines, DESCRIPTION - 100),
        "color": COLOUR,
        "footer": {"text": t("related.footer", lang)},
    }
    if url := paper_url(paper):
        embed["url"] = url
    return fit_message([embed])[0]


def library_embed(
    saved: Sequence[SavedPaper],
    total: int,
    lang: Lang,
    *,
    page_number: int,
    urls: dict[int, str | None],
) -> Embed:
    """One page of a reading list, newest first; numbers run across pages."""
    pages = max(1, -(-total // LIBRARY_PAGE))
    if not saved:
        description = t("library.empty", lang)
    else:
        lines = []
        for number, paper in enumerate(saved, start=page_number * LIBRARY_PAGE + 1):
            when = t("library.saved_on", lang, date=paper.saved_at.date().isoformat())
            title = shorten(paper.title or str(paper.paper_id), LINE_TITLE)
            lines.append(f"**{number}.** {_link(title, urls.get(paper.paper_id))} · {when}")
        description = _lines(lines, DESCRIPTION - 100)
    footer = t(
        "library.footer", lang, count=total, limit=MAX_SAVED, page=page_number + 1, pages=pages
    )
    return fit_message(
        [
            {
                "title": t("library.title", lang),
                "description": description,
                "color": COLOUR,
                "footer": {"text": footer},
            }
        ]
    )[0]


_BIB_UNSAFE = re.compile(r"[{}\\]")


def _bibtex(paper: PaperRecord) -> str:
    """A BibTeX entry for an arXiv paper, in the form arXiv's own export uses."""
    arxiv_id = paper.arxiv_id or ""
    key = "arxiv" + re.sub(r"[^0-9A-Za-z]", "", arxiv_id)
    authors = " and ".join(_BIB_UNSAFE.sub("", name) for name in paper.authors) or "Unknown"
    year = f"20{arxiv_id[:2]}" if re.match(r"^\d{4}\.", arxiv_id) else ""
    lines = [
        f"@misc{{{key},",
        f"  title = {{{_BIB_UNSAFE.sub('', paper_title(paper))}}},",
        f"  author = {{{authors}}},",
    ]
    if year:
        lines.append(f"  year = {{{year}}},")
    lines += [
        f"  eprint = {{{arxiv_id}}},",
        "  archivePrefix = {arXiv},",
        f"  url = {{https://arxiv.org/abs/{arxiv_id}}}",
        "}",
    ]
    return "\n".join(lines)


def library_markdown(papers: Sequence[PaperRecord], lang: Lang) -> str:
    """The reading list as a Markdown file: a linked list, then BibTeX for arXiv papers."""
    lines = [f"# {t('library.export_heading', lang)}", ""]
    for paper in papers:
        title = paper_title(paper).replace("[", "(").replace("]", ")")
        url = paper_url(paper)
        item = f"- [{title}]({url})" if url else f"- {title}"
        if paper.title_en and paper.title_ko:
            item += f" — {paper.title_ko}"
        if paper.authors:
            item += f"  \n  {', '.join(paper.authors[:8])}" + (
                ", …" if len(paper.authors) > 8 else ""
            )
        lines.append(item)
    entries = [_bibtex(paper) for paper in papers if paper.arxiv_id]
    if entries:
        lines += ["", f"## {t('library.export_bibtex', lang)}", "", "```bibtex"]
        lines += ["\n\n".join(entries), "```"]
    return "\n".join(lines) + "\n"


def picks_embeds(
    embeds: list[Embed],
    issue: IssueRecord,
    picks: Sequence[tuple[PaperRecord, Sequence[str]]],
    lang: Lang,
    *,
    marker: str,
) -> list[Embed]:
    """The alert DM with the reading-list picks added: a field under the tag matches, or (for
    a user with picks only) an embed of its own carrying the alert's marker."""
    if not picks:
        return embeds
    lines = []
    for paper, reasons in picks:
        line = "• " + _link(shorten(paper_title(paper), 120), paper_url(paper))
        if reasons:
            line += "\n  " + shorten(t("related.shares", lang, reasons=", ".join(reasons)), 150)
        lines.append(line)
    field = {"name": t("recommend.title", lang), "value": _lines(lines, FIELD_VALUE - 10)}
    if embeds:
        first = dict(embeds[0])
        first["fields"] = [*first.get("fields", [])[:24], field]
        return fit_message([first, *embeds[1:]])
    count = len(picks)
    title = (
        t("recommend.title_only_one", lang)
        if count == 1
        else t("recommend.title_only", lang, count=count)
    )
    embed: Embed = {
        "title": title,
        "description": t("alert.in_issue", lang, issue=shorten(issue.title, 200)),
        "color": COLOUR,
        "fields": [field],
        "footer": {"text": t("alert.footer", lang)},
    }
    return fit_message([with_marker(embed, marker)])
