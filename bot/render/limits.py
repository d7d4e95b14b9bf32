"""Discord's message limits, enforced on plain embed dicts before anything is sent.

Every reply must fit whatever the data: text is cut with an ellipsis (and, where we have one,
a link to the full text stays in the embed's url), fields beyond the limit are dropped, and
the whole message is trimmed to the 6,000-character budget shared by its embeds.
"""

from __future__ import annotations

from bot.render.message import Embed

CONTENT = 2000
EMBEDS_PER_MESSAGE = 10
TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR = 256
TOTAL = 6000
ELLIPSIS = "…"


def shorten(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` characters, on a word boundary when one is near."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def embed_length(embed: Embed) -> int:
    """Characters that count against the 6,000 total, as Discord counts them."""
    total = len(embed.get("title", "")) + len(embed.get("description", ""))
    total += len(embed.get("footer", {}).get("text", ""))
    total += len(embed.get("author", {}).get("name", ""))
    for field in embed.get("fields", []):
        total += len(field["name"]) + len(field["value"])
    return total


def fit_embed(embed: Embed) -> Embed:
    """A copy of `embed` within every per-embed limit."""
    out = dict(embed)
    if "title" in out:
        out["title"] = shorten(out["title"], TITLE) or ELLIPSIS
    if "description" in out:
        out["description"] = shorten(out["description"], DESCRIPTION)
    if "footer" in out:
        out["footer"] = {**out["footer"], "text": shorten(out["footer"]["text"], FOOTER)}
    if "author" in out:
        out["author"] = {**out["author"], "name": shorten(out["author"]["name"], AUTHOR)}
    fields = [
        {
            **field,
            "name": shorten(field["name"], FIELD_NAME) or "\u200b",
            "value": shorten(field["value"], FIELD_VALUE) or "\u200b",
        }
        for field in out.get("fields", [])[:FIELDS]
    ]
    if fields or "fields" in out:
        out["fields"] = fields
    return out


def fit_message(embeds: list[Embed]) -> list[Embed]:
    """Fit each embed, keep at most ten, and trim to the shared 6,000-character budget.

    Trimming takes from the longest description first, then drops trailing fields, then whole
    trailing embeds: the first embed (the one the reader came for) survives longest.
    """
    fitted = [fit_embed(embed) for embed in embeds[:EMBEDS_PER_MESSAGE]]
    while sum(embed_length(e) for e in fitted) > TOTAL:
        excess = sum(embed_length(e) for e in fitted) - TOTAL
        longest = max(fitted, key=lambda e: len(e.get("description", "")))
        description = longest.get("description", "")
        if len(description) > 200:
            longest["description"] = shorten(description, max(200, len(description) - excess))
            continue
        with_fields = [e for e in fitted if e.get("fields")]
        if with_fields:
            with_fields[-1]["fields"].pop()
            continue
        if len(fitted) > 1:
            fitted.pop()
            continue
        only = fitted[0]
        only["description"] = shorten(only.get("description", ""), 100)
        break
    return fitted


def fit_content(text: str) -> str:
    return shorten(text, CONTENT)
