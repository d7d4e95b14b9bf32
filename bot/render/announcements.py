"""Announcement posts and alert DMs as plain message data, always within Discord's limits.

The markers live in ``bot.render.markers`` (re-exported here). Every message the announcer
posts carries a *marker* (``paperbot:issue:<document id>``,
``paperbot:paper:<document id>:<n>``...). After a crash the announcer looks for the marker in
the channel's recent history before posting again: the marker is what turns "maybe posted"
into "posted" without a duplicate.

Readers never see it. The marker is the link of a zero-width embed author
(``{"name": "\u200b", "url": "https://paperbot.invalid/m/paperbot:issue:9"}``): Discord
stores an embed's author and returns it unchanged in the message history
(``GET /channels/{id}/messages``), but a zero-width name leaves nothing to read or click. A
``nonce`` would not do: Discord does not return it in the history. ``markers_in`` reads the
markers back from a message's embeds.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import Lang, t
from bot.render.discovery import paper_actions
from bot.render.limits import (
    DESCRIPTION,
    FIELD_VALUE,
    FIELDS,
    fit_content,
    fit_message,
    shorten,
)
from bot.render.markdown import markdown_link, safe_url
from bot.render.markers import (
    alert_marker,
    has_marker,
    issue_marker,
    markers_in,
    paper_marker,
    summary_marker,
    with_marker,
)
from bot.render.message import Embed, Message
from bot.render.papers import COLOUR, paper_embed, paper_title, paper_url
from bot.store.records import IssueRecord, PaperRecord

__all__ = [
    "alert_embeds",
    "alert_marker",
    "has_marker",
    "issue_marker",
    "markers_in",
    "missed_summary_message",
    "overview_message",
    "paper_marker",
    "paper_message",
    "summary_marker",
    "thread_name",
]

INTRO_CHARS = 700
LINE_CHARS = 220
THREAD_NAME = 100  # Discord's limit for a thread name


def _period(issue: IssueRecord) -> str:
    if issue.period_start and issue.period_end:
        return f"{issue.period_start.isoformat()} ~ {issue.period_end.isoformat()}"
    when = issue.period_start or issue.date
    return when.isoformat() if when else ""


def _link(title: str, url: str | None) -> str:
    return markdown_link(title, url)


def _paper_line(number: int, paper: PaperRecord) -> str:
    sub: list[str] = []
    if paper.title_en and paper.title_ko:
        sub.append(paper.title_ko)
    if paper.tags:
        sub.append(" ".join(f"#{tag}" for tag in paper.tags[:4]))
    head = f"**{number}.** {_link(shorten(paper_title(paper), 150), paper_url(paper))}"
    return head + ("\n" + shorten(" · ".join(sub), LINE_CHARS) if sub else "")


def _listing(lines: Sequence[str], budget: int, more_key: str, lang: Lang) -> str:
    """As many whole lines as fit in ``budget`` characters, then "… and N more"."""
    kept: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        tail = len(t(more_key, lang, count=len(lines) - index)) + 2
        if used + len(line) + 1 + tail > budget and index < len(lines):
            kept.append(t(more_key, lang, count=len(lines) - index))
            break
        kept.append(line)
        used += len(line) + 1
    return "\n".join(kept)


def thread_name(issue: IssueRecord, lang: Lang) -> str:
    return shorten(t("announce.thread_name", lang, title=issue.title), THREAD_NAME)


def overview_message(
    issue: IssueRecord,
    papers: Sequence[PaperRecord],
    lang: Lang,
    *,
    role_id: int | None = None,
    source_url: str | None = None,
) -> Message:
    """The post that announces an issue: period, intro, the numbered list of papers.

    The role ping (the only ping the bot ever makes) is in ``content``; everything from the
    digest is in the embed, where mentions never ping anyway.
    """
    head: list[str] = []
    if period := _period(issue):
        head.append(t("announce.period", lang, period=period))
    if issue.intro:
        head.append(shorten(issue.intro, INTRO_CHARS))
    top = "\n\n".join(head)
    lines = [_paper_line(number, paper) for number, paper in enumerate(papers, start=1)]
    heading = f"**{t('announce.papers', lang, count=len(papers))}**"
    budget = DESCRIPTION - len(top) - len(heading) - 8
    listing = _listing(lines, min(budget, 3_800 - len(top)), "announce.more_papers", lang)
    description = "\n\n".join(part for part in (top, heading + "\n" + listing) if part)
    embed: Embed = {
        "title": issue.title,
        "description": description,
        "color": COLOUR,
        "footer": {"text": t("announce.thread_hint", lang)},
    }
    if url := safe_url(source_url):
        embed["url"] = url
    embed = with_marker(embed, issue_marker(issue.id))
    content = f"<@&{role_id}>" if role_id is not None else ""
    return Message(
        content=fit_content(content), embeds=fit_message([embed]), allowed_role_id=role_id
    )


def paper_message(issue: IssueRecord, paper: PaperRecord, index: int, lang: Lang) -> Message:
    """One paper's detail post in the issue's thread (``index`` is 0-based)."""
    embed = paper_embed(paper, lang)
    footer = embed.get("footer", {}).get("text", "")
    embed["footer"] = {"text": f"{index + 1}. {footer}"}
    return Message(
        embeds=fit_message([with_marker(embed, paper_marker(issue.id, index))]),
        components=paper_actions(paper.id, lang),
    )


def missed_summary_message(
    latest: IssueRecord, missed: Sequence[IssueRecord], lang: Lang
) -> Message:
    """ONE message for every issue missed during downtime, posted before the latest one."""
    lines = [
        f"• **{shorten(issue.title, 200)}** · {t(f'kind.{issue.kind.value}', lang)}"
        f" · {_period(issue)} · {t('digest.papers', lang, count=issue.paper_count)}"
        for issue in missed
    ]
    body = t("announce.missed_body", lang, count=len(missed))
    listing = _listing(lines, DESCRIPTION - len(body) - 10, "alert.more", lang)
    embed: Embed = {
        "title": t("announce.missed_title", lang),
        "description": body + "\n\n" + listing,
        "color": COLOUR,
    }
    return Message(embeds=fit_message([with_marker(embed, summary_marker(latest.id))]))


def alert_embeds(
    issue: IssueRecord,
    matches: Sequence[tuple[PaperRecord, Sequence[str]]],
    lang: Lang,
) -> list[Embed]:
    """The alert DM: "3 papers for #rlhf, multimodal", papers grouped by what they matched.

    One field per group of labels (a paper matching both ``#rlhf`` and ``rlhf`` is listed
    once, under both), at most 25 groups, each cut to whole lines.
    """
    labels: list[str] = []
    groups: dict[tuple[str, ...], list[PaperRecord]] = {}
    for paper, matched in matches:
        key = tuple(matched) or ("—",)
        groups.setdefault(key, []).append(paper)
        for label in key:
            if label not in labels:
                labels.append(label)
    shown = ", ".join(labels[:5]) + (f" +{len(labels) - 5}" if len(labels) > 5 else "")
    count = len(matches)
    title = t("alert.title", lang, count=count, labels=shown)
    fields = []
    for key, papers in list(groups.items())[:FIELDS]:
        lines = []
        for paper in papers:
            line = "• " + _link(shorten(paper_title(paper), 120), paper_url(paper))
            if paper.title_en and paper.title_ko:
                line += "\n  " + shorten(paper.title_ko, 120)
            lines.append(line)
        fields.append(
            {
                "name": shorten(", ".join(key), 250),
                "value": _listing(lines, FIELD_VALUE - 10, "alert.more", lang),
            }
        )
    embed: Embed = {
        "title": title,
        "description": t("alert.in_issue", lang, issue=shorten(issue.title, 200)),
        "color": COLOUR,
        "fields": fields,
        "footer": {"text": t("alert.footer", lang)},
    }
    return fit_message([with_marker(embed, alert_marker(issue.id))])
