"""Small text predicates shared by the parsers: language, URLs, titles, authors, tags, dates.

Every function here must stay linear in the length of its input: digests are hostile input and
one line may be megabytes long. Predicates that only need the start of a line (language, "does
this look like a title") look at a bounded prefix; regexes have bounded repetitions wherever
a failed match could otherwise rescan the rest of the line.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import unquote, urlsplit

# A stored field longer than this is junk (a real abstract is under 3,000 characters); clipping
# keeps a hostile 5 MB line from reaching the store, the search index and Discord.
MAX_FIELD_CHARS = 20_000
MAX_TITLE_CHARS = 500
# Lines are cut here before any markup is processed: nothing past it would survive field
# clipping, and it bounds the work a hostile multi-megabyte line can cause.
MAX_LINE_CHARS = 5 * MAX_FIELD_CHARS
# Longest line that can still be a title or a section header.
MAX_TITLE_LIKE_CHARS = 300
# Language is decided on a prefix: a paragraph's first couple of thousand characters are enough.
LANGUAGE_SAMPLE = 2_000

_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
# Hangul and CJK punctuation end a URL: copied text glues particles to links ("…io)를").
URL = re.compile(
    r"https?://[^\s<>\"'`\u1100-\u11ff\u3000-\u318f\uac00-\ud7a3\uff08\uff09]+", re.IGNORECASE
)
_URL_TRAILING = ".,;:!?)]}>'\"’”"
_TAG_TOKEN = re.compile(r"#[^\s#]+")
_TAG_LINE = re.compile(r"(?:#[^\s#,]+[\s,]*)+")  # token and separator chars are disjoint
# "…repositories. Code is…": a sentence ends inside the line (but "LLMs vs. Humans" does not).
_SENTENCE_BREAK = re.compile(
    r"(?:[A-Za-z0-9)\]\uac00-\ud7a3]{2}(?<!\bvs)(?<!\bal)(?<!\betc)(?<!\bfig)(?<!\beq)[.!]"
    r"|[.!?][\"'”’])\s+[A-Z\uac00-\ud7a3]"
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def clip(text: str, limit: int = MAX_FIELD_CHARS) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when something was cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def has_hangul(text: str) -> bool:
    return _HANGUL.search(text[:LANGUAGE_SAMPLE]) is not None


def is_korean(text: str) -> bool:
    """Whether a line or paragraph is Korean prose (possibly full of English ML terms).

    A syllable block carries a whole word's worth of sound while an English word is several
    letters, so Korean text rich in English terms still has a Hangul share well above 10%, and an
    English abstract that quotes one Korean word stays far below it.
    """
    sample = URL.sub("", text[:LANGUAGE_SAMPLE])
    hangul = len(_HANGUL.findall(sample))
    if hangul < 2:
        return False
    latin = len(_LATIN.findall(sample))
    return hangul >= 0.1 * (hangul + latin)


def find_urls(text: str) -> list[str]:
    """Every http(s) URL in ``text``, trailing sentence punctuation removed."""
    if "http" not in text and "HTTP" not in text:
        return []
    return [trim_url(match.group()) for match in URL.finditer(text)]


def trim_url(url: str) -> str:
    url = url.rstrip(_URL_TRAILING)
    # Keep a closing parenthesis that belongs to the URL (Wikipedia-style links).
    if url.count("(") > url.count(")") and len(url) < 2048:
        url += ")"
    return url


def url_only(line: str) -> str | None:
    """The URL when the line is nothing but a URL (maybe in <>, () or [] and with a final dot)."""
    stripped = line.strip()
    if not stripped or len(stripped) > 4096 or " " in stripped:
        return None
    if stripped[0] in "<([":
        stripped = stripped[1:].rstrip(".,;")
        if stripped.endswith((">", ")", "]")):
            stripped = stripped[:-1]
    if URL.fullmatch(stripped) is None:
        return None
    return trim_url(stripped)


def is_tag_line(line: str) -> bool:
    """``#llm #math`` — every token a hashtag (a markdown ``# Heading`` has a space after #)."""
    stripped = line.strip()
    return bool(stripped) and len(stripped) < 1000 and _TAG_LINE.fullmatch(stripped) is not None


def tag_tokens(line: str) -> list[str]:
    return [token.lstrip("#").rstrip(",.;") for token in _TAG_TOKEN.findall(line)]


def looks_like_title(text: str) -> bool:
    """Short, one line, not a URL, and not ending like a sentence.

    Titles end with a word, a digit, ``?`` or ``)``; paragraphs end with ``.`` or a Korean
    sentence ending (``…습니다.``), and summaries in the DAIR style chain clauses with ``;``.
    This is what tells a paper's title apart from a one-line paragraph when both sit right
    before a section header.
    """
    stripped = text.strip()
    if not stripped or len(stripped) > MAX_TITLE_LIKE_CHARS:
        return False
    if URL.match(stripped) or stripped.lower().startswith("github - "):
        return False
    if stripped.endswith(("...", "…", ".", "。", ":", ";", ",")) or "; " in stripped:
        return False
    if len(stripped.split()) > 40 or has_sentence_break(stripped):
        return False
    return any(ch.isalnum() for ch in stripped)


def has_sentence_break(text: str) -> bool:
    """``"…repositories. Code is…"`` or ``"…합니다. 또한…"``: two sentences, so not a title."""
    return _SENTENCE_BREAK.search(text[:MAX_TITLE_LIKE_CHARS]) is not None


def title_case_ratio(text: str) -> float:
    """Share of words longer than three letters that start with a capital (1.0 for no words)."""
    words = [word for word in _WORD.findall(text[:MAX_TITLE_LIKE_CHARS]) if len(word) > 3]
    if not words:
        return 1.0
    return sum(1 for word in words if word[0].isupper() or word[0].isdigit()) / len(words)


def split_bilingual_title(text: str) -> tuple[str | None, str | None]:
    """``"한국어 제목 / English Title"`` → ``("한국어 제목", "English Title")``.

    Returns ``(title_ko, title_en)``. The split is at the first `` / `` with Hangul on one side
    and none on the other (either order), so English titles that contain a slash stay whole. A
    title with Hangul and no such split is Korean; one without Hangul is English.
    """
    text = text.strip()
    if (same := _same_twice(text)) is not None:
        text = same  # "Foo / Foo": an editor filled both languages with one title
    start = 0
    while (index := text.find(" / ", start)) != -1:
        left, right = text[:index].strip(), text[index + 3 :].strip()
        if left and right and has_hangul(left) != has_hangul(right):
            korean, english = (left, right) if has_hangul(left) else (right, left)
            return clip(korean, MAX_TITLE_CHARS), clip(english, MAX_TITLE_CHARS)
        start = index + 3
    if has_hangul(text):
        return clip(text, MAX_TITLE_CHARS), None
    return None, clip(text, MAX_TITLE_CHARS)


def _same_twice(text: str) -> str | None:
    """``X`` when ``text`` is ``X / X`` (case and spacing aside), else ``None``."""
    left, separator, right = text.partition(" / ")
    if not separator or " / " in right or not left.strip():
        return None
    same = " ".join(left.split()).casefold() == " ".join(right.split()).casefold()
    return left.strip() if same else None


def is_bilingual_title(text: str) -> bool:
    if not looks_like_title(text) or " / " not in text:
        return False
    title_ko, title_en = split_bilingual_title(text)
    return title_ko is not None and title_en is not None


def split_authors(inner: str) -> list[str]:
    """``"A, B, and C"`` → ``["A", "B", "C"]``; a single organisation stays one author; a
    repeated name is kept once."""
    parts = re.split(r"\s*[,;]\s*|\s+and\s+|\s*&\s*", inner.strip())
    authors: list[str] = []
    seen: set[str] = set()  # a name listed twice (copy-paste, two affiliations) is one author
    for part in parts:
        name = part.strip().removeprefix("and ").strip()
        key = " ".join(name.split()).casefold()
        if name and key not in seen:
            seen.add(key)
            authors.append(clip(name, 200))
    return authors


# Big collaborations list a thousand names (the Gemini report): ~50 KB still reads as authors.
MAX_AUTHORS_LINE = 50_000


def authors_line(line: str) -> list[str] | None:
    """Authors when the whole line is ``(A, B, C)`` (or ``(A, B`` cut off), else ``None``."""
    stripped = line.strip()
    if not stripped.startswith("(") or len(stripped) > MAX_AUTHORS_LINE or has_hangul(stripped):
        return None
    if find_urls(stripped):
        return None
    if stripped.endswith(")"):
        inner = stripped[1:-1]
    elif "," in stripped:
        inner = stripped[1:]  # a list cut off mid-way still names its authors
    else:
        return None
    if not inner.strip() or "(" in inner or ")" in inner:
        return None
    return split_authors(inner) or None


def split_title_authors(line: str) -> tuple[str, list[str]]:
    """``"Title (A, B, C)"`` → ``("Title", ["A", "B", "C"])``.

    The final parenthesis counts as an author list only if it holds a comma: ``GPT-4 (OpenAI)``
    or ``Proximal Policy Optimization (PPO)`` keep their parentheses as part of the title.
    """
    stripped = line.strip()
    if not stripped.endswith(")") or len(stripped) > MAX_AUTHORS_LINE:
        return stripped, []
    depth = 0
    for index in range(len(stripped) - 1, -1, -1):
        char = stripped[index]
        if char == ")":
            depth += 1
        elif char == "(":
            depth -= 1
            if depth == 0:
                title, inner = stripped[:index].strip(), stripped[index + 1 : -1]
                plain = "(" not in inner and not find_urls(inner) and not has_hangul(inner)
                if title and "," in inner and plain:
                    return title, split_authors(inner)
                return stripped, []
    return stripped, []


def source_name(source: str) -> str:
    """The file name of a path or URL (percent-decoded), e.g. ``230810 ReRoPE.md``."""
    if "://" in source:
        return unquote(PurePosixPath(urlsplit(source).path).name)
    return PureWindowsPath(source).name if "\\" in source else PurePosixPath(source).name


_ISO_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)")


def date_from_source(source: str) -> date | None:
    """A ``YYYY-MM-DD`` (or ``YYYYMMDD``) date in the file name, e.g. ``daily-2024-02-06.txt``."""
    match = _ISO_IN_NAME.search(source_name(source))
    return make_date(*match.groups()) if match else None


def make_date(year: str | int, month: str | int, day: str | int) -> date | None:
    """A date, or ``None`` when the numbers do not form one (2024/13/45)."""
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def split_title_url(text: str) -> tuple[str, str | None]:
    """``"BlendMask https://arxiv.org/abs/2001.00309"`` → ``("BlendMask", url)``."""
    stripped = text.strip()
    index = stripped.rfind(" ")
    if index > 0 and (url := url_only(stripped[index + 1 :])) is not None:
        title = stripped[:index].strip().rstrip(":-–—|").strip()
        if title and not find_urls(title):
            return title, url
    return stripped, None
