"""Markdown, HTML and forum markup flattened to plain lines before any classification.

The same weekly post arrives as text copied from the forum page and as the forum's raw markdown
(``## headers``, ``**bold**``, ``[text](url)``, ``* bullets``, ``<br>``, BBCode ``[details]``).
Parsers classify *normalised* lines, so a header is a header whether it is written ``논문 소개``,
``### 논문 소개``, ``• 논문 소개`` or ``- **논문 소개**:``. The URLs that markup hides behind link
text are kept on the line, so link sections keep their links.

All patterns are linear: every repetition that could fail and rescan is bounded, and each
substitution runs only when its trigger character occurs in the line.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from bot.digests._text import MAX_LINE_CHARS, URL, find_urls, trim_url

_BR = re.compile(r"<br\s{0,5}/?>", re.IGNORECASE)
_HEADING = re.compile(r"(#{1,6})\s+")
_QUOTE = re.compile(r"(?:>\s?)+")
_BULLET = re.compile(r"(?:[*+\-•●◦▪▫·・‣⁃■□▶►➤✓✔☑]|\d{1,2}[.)])\s+")
_RULE = re.compile(r"(?:[-*_=]\s*){3,}")
# Bounded classes exclude the pattern's own opening character, so a failed match stops at the
# next "[" or "<" instead of rescanning the rest of the line: linear even on "[[[[…".
_IMAGE = re.compile(r"!\[[^\[\]\n]{0,500}\]\([^()\n]{0,2000}\)")
# A URL may hold one level of balanced parentheses (wiki/Foo_(bar)); the two alternatives
# start with disjoint characters, so this stays linear.
_LINK = re.compile(
    r"\[([^\[\]\n]{0,1000})\]\(\s{0,5}<?(https?://(?:[^()\s<>]|\([^()\s<>]{0,500}\)){1,2000})>?"
    r"(?:\s{1,5}\"[^\"\n]{0,300}\")?\s{0,5}\)"
)
_ANCHOR = re.compile(
    r"<a\s[^<>\n]{0,2000}?href=[\"'](https?://[^\"'\s<>]{1,2000})[\"'][^<>\n]{0,1000}>"
    r"([^<\n]{0,1000})</a>",
    re.IGNORECASE,
)
_AUTOLINK = re.compile(r"<(https?://[^<>\s]{1,2000})>")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,500}>")
_BBCODE = re.compile(
    r"\[/?(?:details|quote|spoiler|summary|center|size|color)(?:[= ][^\[\]\n]{0,300})?\]",
    re.IGNORECASE,
)
_EMPHASIS = re.compile(r"\*\*|__|~~|`")
# Korean particles follow emphasis directly ("*사용자 모델*이"), so no word boundary after it.
_STAR_ITALIC = re.compile(r"(?<!\*)\*(?=[^\s*])([^*\n]{1,500}?)(?<=\S)\*(?!\*)")
# Private-use characters bracket the placeholders of URLs while markup is stripped (_shield);
# dropped from the input so that no text can forge one.
_OPEN, _CLOSE = "\ue000", "\ue001"
_INVISIBLE = str.maketrans("", "", "\u200b\u200c\u200d\u2060\ufeff" + _OPEN + _CLOSE)
_PLACEHOLDER = re.compile(_OPEN + r"(\d{1,6})" + _CLOSE)
_EMPHASIS_RUNS = ("**", "__", "~~", "*")  # the runs stripped from prose below


def _collapse_spaces(text: str) -> str:
    # str.split() knows every Unicode space (NBSP, ideographic space...) and runs in C: much
    # faster on long lines than a regex substitution, which dominated parse profiles.
    return " ".join(text.split())


@dataclass(slots=True)
class Line:
    """One logical line: its 1-based source line, plain text and the URLs it carries."""

    number: int
    text: str
    urls: list[str] = field(default_factory=list)
    heading: int = 0  # markdown heading level, 0 for none
    bullet: bool = False
    quote: bool = False
    link_only: bool = False  # the line was nothing but one markdown/HTML link


def split_lines(text: str) -> list[tuple[int, str]]:
    """Source lines with their 1-based numbers; ``<br>`` splits a line but keeps its number."""
    result: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        raw = line[:MAX_LINE_CHARS] if len(line) > MAX_LINE_CHARS else line
        if "<" in raw and _BR.search(raw):
            result.extend((number, part) for part in _BR.split(raw))
        else:
            result.append((number, raw))
    return result


def normalise(number: int, raw: str) -> Line:
    """Strip markup from one line, keeping the URLs that markup hid behind link text."""
    if len(raw) > MAX_LINE_CHARS:
        raw = raw[:MAX_LINE_CHARS]
    text = _collapse_spaces(raw if raw.isascii() else raw.translate(_INVISIBLE))
    line = Line(number, text)
    if not text:
        return line
    if text[0] == ">" and (match := _QUOTE.match(text)):
        line.quote = True
        text = text[match.end() :]
    if text[0] == "#" and (match := _HEADING.match(text)):
        line.heading = len(match.group(1))
        text = text[match.end() :].rstrip("#").strip()
    if _RULE.fullmatch(text[:200]) and len(text) < 200:
        line.text = ""
        return line
    urls: list[str] = []
    if "[" in text or "<" in text:
        bare = text[match.end() :] if (match := _BULLET.match(text)) else text
        line.link_only = bool(_LINK.fullmatch(bare) or _ANCHOR.fullmatch(bare))
        text, urls = _strip_links(text)
    shielded: list[str] = []
    if "://" in text and ("*" in text or "_" in text or "~" in text or "&" in text):
        text, shielded = _shield(text)
    if "*" in text or "_" in text or "~" in text or "`" in text:
        text = _STAR_ITALIC.sub(r"\1", text) if "*" in text else text
        text = _EMPHASIS.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    if shielded:
        text = _PLACEHOLDER.sub(lambda match: shielded[int(match.group(1))], text)
    text = _collapse_spaces(text)
    for _ in range(2):  # "- • 논문 소개" has two bullet markers
        if text and (match := _BULLET.match(text)) and match.end() < len(text):
            line.bullet = True
            text = text[match.end() :]
    line.text = text
    seen = set(urls)
    line.urls = urls + [url for url in find_urls(text) if url not in seen]
    return line


def normalise_all(text: str) -> list[Line]:
    return [normalise(number, raw) for number, raw in split_lines(text)]


def _shield(text: str) -> tuple[str, list[str]]:
    """``text`` with its URLs replaced by placeholders, and the URLs.

    Emphasis stripping and HTML unescaping are for prose: applied to a URL they turned
    ``x.com/a__b/status/1`` into ``x.com/ab/status/1``. URLs come back byte for byte. An
    emphasis run just before a URL that also ends it (``**https://…**``) is markup, not URL.
    """
    urls: list[str] = []

    def shield(match: re.Match[str]) -> str:
        raw = match.group()
        url = trim_url(raw)
        before = text[: match.start()]
        for run in _EMPHASIS_RUNS:
            if before.endswith(run) and url.endswith(run) and len(url) > len(run):
                url = trim_url(url[: -len(run)])
                break
        urls.append(url)
        return f"{_OPEN}{len(urls) - 1}{_CLOSE}{raw[len(url) :]}"

    return URL.sub(shield, text), urls


def _strip_links(text: str) -> tuple[str, list[str]]:
    urls: list[str] = []

    def link(match: re.Match[str]) -> str:
        label, url = match.group(1).strip(), match.group(2)
        urls.append(url)
        if not label or label == url or label.startswith(("http://", "https://")):
            return url
        return label

    def anchor(match: re.Match[str]) -> str:
        url, label = match.group(1), match.group(2).strip()
        urls.append(url)
        return label or url

    if "[" in text:
        text = _IMAGE.sub("", text)
        text = _LINK.sub(link, text)
        text = _BBCODE.sub("", text)
    if "<" in text:
        text = _ANCHOR.sub(anchor, text)
        text = _AUTOLINK.sub(r"\1", text)
        text = _TAG.sub("", text)
    return text, urls
