"""A Discourse post's cooked HTML turned into markdown-like text the digest parsers read.

Used only when the forum will not give us the post's markdown. The parsers already understand
markdown (``## title``, ``* bullet``, ``> quote``, ``[text](url)``), so the HTML is flattened
into exactly that, with the standard library's :class:`html.parser.HTMLParser` — no new
dependency for a fallback path. What matters for the parsers:

- **Block elements end lines** and headings keep their level, so section headers and paper
  titles stay on lines of their own.
- **Links keep their URLs** as ``[text](url)``; relative links (mentions, other topics) are
  made absolute against the forum, and in-page anchors (``href="#…"``, the heading anchors
  Discourse adds) disappear with their empty text.
- **Link previews ("oneboxes") become their URL alone**, as in the raw markdown the author
  wrote. Their rendered title and description would otherwise look like paper titles and
  prose to the weekly parser.
- Image captions and metadata (``image 690×388 45 KB``), scripts and styles are dropped;
  emoji images keep their ``:shortcode:`` alt text, as the text copy of a page does.
- **Each text line knows its HTML line** (:func:`html_to_lines`), so a parse error or a paper
  found in the text can be reported at its line in the post, not in the flattened text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin

_BLOCKS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "header",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    }
)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_SKIPPED = frozenset({"script", "style", "template", "noscript", "svg", "head", "title"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
_SPACE = re.compile(r"\s+")


def html_to_text(html: str, base_url: str) -> str:
    """Markdown-like text of ``html``; relative links resolve against ``base_url``."""
    return html_to_lines(html, base_url)[0]


def html_to_lines(html: str, base_url: str) -> tuple[str, list[int]]:
    """:func:`html_to_text`, and for each text line the line of ``html`` it starts on."""
    extractor = _Extractor(base_url)
    extractor.feed(html)
    extractor.close()
    return extractor.result()


class _Extractor(HTMLParser):
    def __init__(self, base_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self._base = base_url.rstrip("/") + "/"
        self._lines: list[str] = []
        self._sources: list[int] = []  # the HTML line each of _lines came from
        self._line: list[str] = []
        self._line_source = 1
        self._marker = ""  # "## " or "* " for the next line that gets text
        self._quote = 0
        self._pre = 0
        self._links: list[tuple[str | None, list[str], int]] = []  # href, text, HTML line
        # An element whose content is skipped: its tag, its nesting depth, and for a onebox the
        # first link found inside (when the aside did not name its source).
        self._skip: tuple[str, int] | None = None
        self._skip_href: str | None = None
        self._onebox = False
        self._onebox_line = 1

    # -- output -------------------------------------------------------------------------------

    def _write(self, text: str, source: int | None = None) -> None:
        if self._links:
            self._links[-1][1].append(text)
            return
        if not self._line:
            if not text.strip():
                return
            text = text.lstrip()
            self._line.append("> " * self._quote + self._marker)
            self._marker = ""
            self._line_source = source or self.getpos()[0]
        self._line.append(text)

    def _end_line(self) -> None:
        if self._line:
            self._lines.append("".join(self._line).rstrip())
            self._sources.append(self._line_source)
        self._line = []

    def _blank(self) -> None:
        self._end_line()
        if self._lines and self._lines[-1]:
            self._lines.append("")
            self._sources.append(self._sources[-1])

    def result(self) -> tuple[str, list[int]]:
        while self._links:  # an unclosed <a>
            self._close_link()
        self._end_line()
        # No blank lines at either end, never two in a row (the text the parsers expect).
        lines: list[str] = []
        sources: list[int] = []
        for line, source in zip(self._lines, self._sources, strict=True):
            if not line and (not lines or not lines[-1]):
                continue
            lines.append(line)
            sources.append(source)
        while lines and not lines[-1]:
            lines.pop()
            sources.pop()
        return ("\n".join(lines) + "\n" if lines else ""), sources

    # -- parsing ------------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        classes = set(attributes.get("class", "").split())
        if self._skip is not None:
            if tag == self._skip[0] and tag not in _VOID:
                self._skip = (tag, self._skip[1] + 1)
            if tag == "a" and self._skip_href is None:
                self._skip_href = self._absolute(attributes.get("href", ""))
            return
        if tag in _SKIPPED or (tag == "div" and "meta" in classes):
            self._skip = (tag, 1)
            self._onebox = False
            return
        if tag == "aside" and "onebox" in classes:
            self._blank()
            self._skip = (tag, 1)
            self._onebox = True
            self._onebox_line = self.getpos()[0]
            self._skip_href = self._absolute(attributes.get("data-onebox-src", ""))
            return
        if tag in _HEADINGS:
            self._blank()
            self._marker = "#" * _HEADINGS[tag] + " "
        elif tag == "li":
            self._end_line()
            self._marker = "* "
        elif tag == "blockquote" or (tag == "aside" and "quote" in classes):
            self._blank()
            self._quote += 1
        elif tag == "pre":
            self._end_line()
            self._pre += 1
        elif tag in _BLOCKS:
            self._end_line()
        elif tag == "a":
            self._links.append((self._absolute(attributes.get("href", "")), [], self.getpos()[0]))
        elif tag == "img" and "emoji" in classes and attributes.get("alt"):
            self._write(attributes["alt"])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skip is not None:
            name, depth = self._skip
            if tag != name:
                return
            if depth > 1:
                self._skip = (name, depth - 1)
                return
            self._skip = None
            if self._onebox and self._skip_href:
                self._write(self._skip_href, self._onebox_line)
                self._blank()
            self._onebox = False
            self._skip_href = None
            return
        if tag == "a" and self._links:
            self._close_link()
        elif tag in _HEADINGS:
            self._blank()
            self._marker = ""
        elif tag == "blockquote" or (tag == "aside" and self._quote):
            self._end_line()
            self._quote = max(0, self._quote - 1)
        elif tag == "pre":
            self._end_line()
            self._pre = max(0, self._pre - 1)
        elif tag in ("p", "div", "ul", "ol", "table", "details"):
            self._blank()
        elif tag in _BLOCKS:
            self._end_line()

    def handle_data(self, data: str) -> None:
        if self._skip is not None:
            return
        if self._pre:
            first, *rest = data.split("\n")
            start = self.getpos()[0]
            self._write(first)
            for number, part in enumerate(rest, start + 1):
                self._end_line()
                self._write(part, number)
            return
        self._write(_SPACE.sub(" ", data))

    # -- links --------------------------------------------------------------------------------

    def _absolute(self, href: str) -> str | None:
        href = href.strip()
        if not href or href.startswith("#"):
            return None
        url = urljoin(self._base, href)
        return url if url.startswith(("http://", "https://")) else None

    def _close_link(self) -> None:
        href, parts, source = self._links.pop()
        label = _SPACE.sub(" ", "".join(parts)).strip()
        if href is None:
            text = label
        elif not label:
            return  # an image link (lightbox) or an empty anchor: nothing a reader sees
        elif label == href:
            text = href
        else:
            label = label.replace("[", "(").replace("]", ")")
            text = f"[{label}]({href})"
        if text:
            self._write(text, source)
