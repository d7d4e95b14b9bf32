"""Papers, search pages, digests and tags as plain embed dicts (Discord's JSON shape).

No discord.py here: cogs turn these dicts into `discord.Embed.from_dict(...)`. Everything
returned has been passed through `limits`, so it fits whatever the data.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import Lang, t
from bot.render.limits import fit_embed, fit_message, shorten
from bot.render.markdown import markdown_link, safe_url
from bot.render.message import Embed
from bot.store.records import IssueRecord, PaperRecord, SearchPage

COLOUR = 0xEE4C2C  # PyTorch orange
SUMMARY_CHARS = 1500
LIST_LINE_CHARS = 180


def paper_title(paper: PaperRecord) -> str:
    return paper.title_en or paper.title_ko or "—"


def paper_url(paper: PaperRecord) -> str | None:
    """The paper's page, safe as a link target and embed URL (see ``bot.render.markdown``)."""
    return safe_url(paper.url)


def _summary(paper: PaperRecord, lang: Lang) -> str | None:
    if lang == "ko":
        order = (
            paper.summary_ko,
            paper.commentary,
            paper.abstract_ko,
            paper.summary_en,
            paper.abstract_en,
        )
    else:
        order = (
            paper.summary_en,
            paper.abstract_en,
            paper.summary_ko,
            paper.commentary,
            paper.abstract_ko,
        )
    return next((text for text in order if text), None)


def _authors(paper: PaperRecord) -> str:
    shown = ", ".join(paper.authors)
    if len(shown) <= 1000:
        return shown
    names: list[str] = []
    for name in paper.authors:
        if len(", ".join([*names, name])) > 980:
            break
        names.append(name)
    return ", ".join(names) + f", … (+{len(paper.authors) - len(names)})"


def _links(paper: PaperRecord, lang: Lang) -> str:
    parts = [
        markdown_link(t(f"link.{link.kind.value}", lang), link.url, bold_fallback=False)
        for link in paper.links
        if safe_url(link.url) is not None
    ]
    kept: list[str] = []
    for part in parts:  # never cut a markdown link in half
        if len(" · ".join([*kept, part])) > 1000:
            break
        kept.append(part)
    return " · ".join(kept)


def _mention_line(paper: PaperRecord, lang: Lang) -> str:
    lines = []
    for m in paper.mentions:
        when = m.date.isoformat() if m.date else ""
        lines.append(f"{t(f'kind.{m.kind.value}', lang)} {when} · {m.issue_title}".strip())
    return "\n".join(lines)


def paper_embed(paper: PaperRecord, lang: Lang) -> Embed:
    """The detail view of one paper."""
    url = paper_url(paper)
    description_parts: list[str] = []
    if paper.title_en and paper.title_ko:
        description_parts.append(f"**{paper.title_ko}**")
    if summary := _summary(paper, lang):
        text = shorten(summary, SUMMARY_CHARS)
        if text != summary.strip() and url:
            text += "\n" + markdown_link(t("paper.more", lang), url)
        description_parts.append(text)
    embed: Embed = {
        "title": paper_title(paper),
        "description": "\n\n".join(description_parts),
        "color": COLOUR,
        "fields": [],
    }
    if url:
        embed["url"] = url
    fields: list[dict[str, object]] = embed["fields"]
    if paper.authors:
        fields.append({"name": t("paper.authors", lang), "value": _authors(paper)})
    if paper.tags:
        fields.append(
            {"name": t("paper.tags", lang), "value": " ".join(f"`#{g}`" for g in paper.tags)}
        )
    if paper.links:
        fields.append({"name": t("paper.links", lang), "value": _links(paper, lang)})
    if paper.mentions:
        fields.append({"name": t("paper.appeared", lang), "value": _mention_line(paper, lang)})
    return fit_message([embed])[0]


def search_embed(page: SearchPage, lang: Lang, *, page_number: int, page_size: int) -> Embed:
    """One page of ranked results; the numbers match the detail selector's options."""
    pages = max(1, -(-page.total // page_size))
    lines = []
    for rank, hit in enumerate(page.hits, start=page_number * page_size + 1):
        paper = hit.paper
        title = paper_title(paper)
        url = paper_url(paper)
        head = markdown_link(title, url)
        sub = []
        if paper.title_en and paper.title_ko:
            sub.append(paper.title_ko)
        if paper.mentions:
            first = paper.mentions[0]
            when = first.date.isoformat() if first.date else ""
            sub.append(f"{t(f'kind.{first.kind.value}', lang)} {when}".strip())
        if paper.tags:
            sub.append(" ".join(f"#{g}" for g in paper.tags[:5]))
        lines.append(f"**{rank}.** {head}\n" + shorten(" · ".join(sub), LIST_LINE_CHARS))
    embed: Embed = {
        "title": t("search.title", lang, query=page.query),
        "description": "\n".join(lines),
        "color": COLOUR,
        "footer": {
            "text": t("search.summary", lang, total=page.total, page=page_number + 1, pages=pages)
        },
    }
    return fit_message([embed])[0]


def issues_embed(
    issues: Sequence[IssueRecord], lang: Lang, *, title_key: str, footer: str | None = None
) -> Embed:
    if not issues:
        return fit_embed(
            {"title": t(title_key, lang), "description": t("digest.none", lang), "color": COLOUR}
        )
    lines = []
    for issue in issues:
        when = issue.period_start or issue.date
        period = when.isoformat() if when else ""
        if issue.period_start and issue.period_end:
            period = f"{issue.period_start.isoformat()} ~ {issue.period_end.isoformat()}"
        lines.append(
            f"**{shorten(issue.title, 200)}**\n{t(f'kind.{issue.kind.value}', lang)} · {period}"
            f" · {t('digest.papers', lang, count=issue.paper_count)}"
        )
    embed: Embed = {"title": t(title_key, lang), "description": "\n".join(lines), "color": COLOUR}
    if footer:
        embed["footer"] = {"text": footer}
    return fit_message([embed])[0]


def tags_embed(tags: Sequence[tuple[str, int]], lang: Lang) -> Embed:
    if not tags:
        return fit_embed(
            {"title": t("tags.title", lang), "description": t("tags.none", lang), "color": COLOUR}
        )
    body = " · ".join(f"`#{tag}` {count}" for tag, count in tags)
    return fit_message(
        [
            {
                "title": t("tags.title", lang),
                "description": body,
                "color": COLOUR,
                "footer": {"text": t("tags.footer", lang, count=len(tags))},
            }
        ]
    )[0]
