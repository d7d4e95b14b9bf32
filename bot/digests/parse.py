"""Entry points: detect a digest's format, parse it, tag its papers, and parse whole folders.

Ingest runs over folders of files that nobody validated, so the contract is: **bad content never
raises**. One bad file becomes one :class:`ParseError` naming the file and the 1-based line
(0 when the problem is the file as a whole: unreadable, too large), and every other file is
still parsed. Exceptions from parser bugs are caught too, logged with a traceback, and reported
as errors, so that one unexpected file cannot stop an ingest.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from bot.digests import daily, note, weekly
from bot.digests._dates import parse_date_line
from bot.digests._text import find_urls
from bot.digests.decode import decode_bytes, normalise_newlines
from bot.digests.errors import DigestFormatError, NotADigestError
from bot.digests.models import DigestKind, Document, Paper, ParseError, ParseResult
from bot.digests.tags import TagVocabulary

log = logging.getLogger(__name__)

DIGEST_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
SKIPPED_PREFIXES = ("license", "readme")
# Far beyond any digest (the weekly sample is 35 kB and 225 lines; a year of weeklies in one
# file would be about 12,000 lines). They bound the time a stray dump or log file can cost.
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_LINES = 50_000

_PARSERS: dict[DigestKind, Callable[[str, str], Document]] = {
    DigestKind.WEEKLY: weekly.parse,
    DigestKind.DAILY: daily.parse,
    DigestKind.NOTE: note.parse,
}


def detect_kind(text: str, source: str) -> DigestKind | None:
    """The format of ``text``, or ``None`` when it is none of ours.

    Order matters: a weekly issue is recognised by its dated title or its section headers, a
    daily by its date line (a weekly's title holds a date *range*), a note by the URL on its
    first line or its ``YYMMDD Title.md`` name; a daily without a date line last, by its author
    and tag lines.
    """
    if weekly.looks_like(text):
        return DigestKind.WEEKLY
    first = next((line for line in text.split("\n", 50)[:50] if line.strip()), "")
    if parse_date_line(first.strip().lstrip("#").strip()) is not None:
        return DigestKind.DAILY
    if note.looks_like(text, source):
        return DigestKind.NOTE
    if daily.looks_like(text):
        return DigestKind.DAILY
    return None


_HEADING = re.compile(r"#{1,6}\s+\S.*|[=-]{3,}\s*")  # an ATX heading or a setext underline


def not_a_digest(text: str) -> NotADigestError | None:
    """Why ``text``, which no format recognised, is recognisably no digest, or None.

    - a markdown table: a table of datasets or models under a reviews folder;
    - a markdown outline (headings) without a single link: a draft or essay, no paper note.

    Such files are skipped with a notice; anything else unrecognised stays an error.
    """
    if (line := weekly.table_header_line(text)) is not None:
        return NotADigestError(
            line,
            "not a digest: a markdown table (header row here); tables are never read as papers",
        )
    if find_urls(text):
        return None
    for number, line_text in enumerate(text.split("\n")[:MAX_LINES], 1):
        if _HEADING.fullmatch(line_text.strip()):
            return NotADigestError(
                number,
                "not a digest: a markdown outline (heading here) without any link, "
                "date line or issue title",
            )
    return None


def parse_text(text: str, source: str, vocabulary: TagVocabulary) -> Document:
    """Detect, parse and tag; raises :class:`DigestFormatError` when the text is not a digest.

    Each paper's tags become :func:`paper_tags`: its explicit tags in canonical form plus the
    tags derived from its titles and summaries, sorted and without duplicates.
    """
    document = parse_untagged(text, source)
    for paper in document.papers:
        paper.tags = paper_tags(paper, vocabulary)
    return document


def parse_untagged(text: str, source: str) -> Document:
    """Detect and parse, leaving each paper's tags as the digest wrote them (``#tags``)."""
    text = normalise_newlines(text)
    if not text.strip():
        raise DigestFormatError(1, "empty document")
    if (lines := text.count("\n") + 1) > MAX_LINES:
        raise DigestFormatError(MAX_LINES + 1, f"{lines} lines: more than any digest has")
    kind = detect_kind(text, source)
    if kind is None:
        if (refusal := not_a_digest(text)) is not None:
            raise refusal
        first = next((n for n, line in enumerate(text.split("\n"), 1) if line.strip()), 1)
        raise DigestFormatError(
            first,
            "unrecognised format: expected a weekly issue title, a daily date line "
            "(2024년 2월 6일) or a note starting with a URL",
        )
    return _PARSERS[kind](text, source)


def tag_agreement(documents: Iterable[Document], vocabulary: TagVocabulary) -> tuple[int, int, int]:
    """On the papers that people tagged by hand (``documents`` from :func:`parse_untagged`):
    (paperbot's tags that people gave, paperbot's tags, people's tags paperbot dropped).

    Precision is the first over the second; the third must be 0. Aliases are resolved.
    """
    agreed = ours_total = dropped = 0
    for document in documents:
        for paper in document.papers:
            people = vocabulary.canonical_all(paper.tags)
            if not people:
                continue
            ours = set(paper_tags(paper, vocabulary))
            agreed += len(ours & people)
            ours_total += len(ours)
            dropped += len(people - ours)
    return agreed, ours_total, dropped


def paper_tags(paper: Paper, vocabulary: TagVocabulary) -> list[str]:
    """A paper's tags: its explicit ``#tags`` (canonical) plus the tags derived from where it
    states its subject, its titles and summaries.

    Not from every word of an abstract: an abstract that mentions alignment in passing does
    not make a visual-grounding paper an alignment paper, and alerts follow these tags (on the
    hand-tagged samples, abstract-derived tags doubled what people gave). Only a paper that
    gets no tag that way is tagged from its abstract, so that it can still be followed.
    """
    explicit = vocabulary.canonical_all(paper.tags)
    tags = explicit | vocabulary.derive(
        paper.title_en, paper.title_ko, paper.summary_en, paper.summary_ko
    )
    if not tags:
        tags = vocabulary.derive(paper.abstract_en, paper.abstract_ko)
    return sorted(tags)


def parse_bytes(data: bytes, source: str, vocabulary: TagVocabulary) -> ParseResult:
    """Decode and parse one file's bytes; never raises for bad content."""
    try:
        document = parse_text(decode_bytes(data), source, vocabulary)
    except NotADigestError as error:  # skipped with a notice, not a failure
        return ParseResult(
            notices=[ParseError(source=source, line=error.line, message=error.message)]
        )
    except DigestFormatError as error:
        return ParseResult(
            errors=[ParseError(source=source, line=error.line, message=error.message)]
        )
    except Exception as error:  # a parser bug must not stop an ingest run
        log.exception("unexpected error while parsing %s", source)
        message = f"internal parser error ({type(error).__name__}): {error}"
        return ParseResult(errors=[ParseError(source=source, line=0, message=message)])
    return ParseResult(documents=[document])


def parse_file(path: Path, vocabulary: TagVocabulary) -> ParseResult:
    """Read and parse one file; unreadable or oversized files are errors, not exceptions."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            message = f"file too large ({size} bytes, limit {MAX_FILE_BYTES})"
            return ParseResult(errors=[ParseError(source=source, line=0, message=message)])
        data = path.read_bytes()
    except OSError as error:
        message = f"cannot read file: {error.strerror or error}"
        return ParseResult(errors=[ParseError(source=source, line=0, message=message)])
    return parse_bytes(data, source, vocabulary)


def is_digest_file(path: Path) -> bool:
    """A ``.txt``/``.md``/``.markdown`` file that is not hidden, a licence or a readme."""
    name = path.name.lower()
    return (
        path.suffix.lower() in DIGEST_SUFFIXES
        and not name.startswith(".")
        and not name.startswith(SKIPPED_PREFIXES)
    )


def iter_digest_files(paths: Iterable[Path]) -> list[Path]:
    """The digest files under ``paths``, sorted, each once.

    Folders are walked recursively, skipping hidden folders and files, licences, readmes and
    other suffixes. A file named explicitly is always included (whoever named it meant it); a
    path that does not exist is included too, so that :func:`parse_paths` reports it.
    """
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            for candidate in path.rglob("*"):
                relative = candidate.relative_to(path).parts
                if any(part.startswith(".") for part in relative):
                    continue
                if candidate.is_file() and is_digest_file(candidate):
                    found.add(candidate)
        else:
            found.add(path)
    return sorted(found)


def parse_paths(paths: Iterable[Path], vocabulary: TagVocabulary) -> ParseResult:
    """Parse every digest file under ``paths``; errors are collected, never raised."""
    result = ParseResult()
    for path in iter_digest_files(paths):
        one = parse_file(path, vocabulary)
        result.documents.extend(one.documents)
        result.errors.extend(one.errors)
        result.notices.extend(one.notices)
    return result
