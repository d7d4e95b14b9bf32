"""Markdown links built from digest data: the label and the URL both come from untrusted text.

Digests are written by others, and a URL is kept byte for byte as its digest wrote it (see
``bot.digests._markdown``). Dropped into ``[title](url)`` as is, a URL such as
``https://a.example/x)[click here](https://evil.example`` would close the link early and smuggle
a second, attacker-chosen one into the bot's message. So the characters that end or restructure
a markdown link are percent-encoded in the target (a server reads ``%28`` as ``(``), the label
cannot close its brackets, and only http(s) URLs become links at all.
"""

from __future__ import annotations

# Percent-encoded in a link target: they end the target, open a new link, or change how
# Discord reads it (angle brackets suppress embeds, spaces and controls end the target).
_TARGET_ESCAPES = {ord(ch): f"%{ord(ch):02X}" for ch in '()[]<> "\\`'} | {
    code: f"%{code:02X}" for code in [*range(0x20), 0x7F]
}


def safe_url(url: str | None) -> str | None:
    """``url`` made safe as a markdown link target or embed URL; None unless http(s)."""
    if not url:
        return None
    stripped = url.strip()
    if not stripped.lower().startswith(("http://", "https://")):
        return None
    return stripped.translate(_TARGET_ESCAPES)


def link_label(text: str) -> str:
    """Text that cannot close or open a link: brackets become parentheses."""
    return text.replace("[", "(").replace("]", ")")


def markdown_link(label: str, url: str | None, *, bold_fallback: bool = True) -> str:
    """``[label](url)`` with both made safe; the bare (bold) label when there is no http URL."""
    target = safe_url(url)
    text = link_label(label)
    if target is None:
        return f"**{text}**" if bold_fallback else text
    return f"[{text}]({target})"
