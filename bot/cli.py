"""The operator's command line: parse, ingest, search, random, stats, run, playground, health.

Output is for people by default and for scripts with `--json`; the JSON shapes are a contract
that later automation relies on, so change them only additively.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from bot.app import open_store
from bot.digests.models import DigestKind, ParseError
from bot.digests.parse import parse_paths
from bot.digests.tags import load_vocabulary
from bot.ingest.files import IngestTotals, ingest_paths
from bot.runtime.operator_errors import report_faults
from bot.services.lookup import Lookup, NoPapersTaggedError, UnknownTagError
from bot.settings import Settings, load_settings
from bot.store import Store, needs_read_only
from bot.store.records import PaperRecord

EXIT_OK = 0
EXIT_DOCUMENT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="paperbot",
        description="paperbot: ML paper digests for Discord communities (Korean and English).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("parse", help="parse digest files without touching the store")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--json", action="store_true", help="print the parsed documents as JSON")

    p = sub.add_parser("ingest", help="load digest files or folders into the store")
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="files or folders (default: the configured digest paths)",
    )
    _add_db(p)

    p = sub.add_parser("search", help="search papers (Korean and English)")
    p.add_argument("query", nargs="+", help="words, a title, an author (quotes not needed)")
    p.add_argument("--tag", help="only papers with this tag")
    p.add_argument("--kind", choices=[k.value for k in DigestKind], help="only this digest kind")
    p.add_argument("--limit", type=_positive_int, default=10)
    p.add_argument("--json", action="store_true")
    _add_db(p)

    p = sub.add_parser("random", help="show a random paper")
    p.add_argument("--tag", help="only papers with this tag")
    p.add_argument("--json", action="store_true")
    _add_db(p)

    p = sub.add_parser(
        "run", help="run the bot (with DISCORD_TOKEN) or else the playground on a local emulator"
    )
    p = sub.add_parser("playground", help="try the bot in this terminal, no token needed")

    p = sub.add_parser("health", help="exit 0 if the running bot reported in recently")
    p.add_argument("--max-age", type=float, default=120.0, metavar="SECONDS")
    _add_db(p)

    p = sub.add_parser("stats", help="what the store holds")
    p.add_argument("--json", action="store_true")
    _add_db(p)
    for command in (parser, *sub.choices.values()):  # before the command or after it
        _add_log_level(command)
    return parser


def _add_log_level(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--log-level",
        type=str.upper,
        choices=LOG_LEVELS,
        default=argparse.SUPPRESS,
        help="overrides [log] level; DEBUG also prints the traceback of an error",
    )


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, help="SQLite file (default: the configured store)")


def _positive_int(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError("must be between 1 and 1000")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; an operator's mistake ends in one line on stderr (see
    ``bot.runtime.operator_errors``): status 2 for the configuration, 1 at run time."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    try:
        args = build_parser().parse_args(arguments)
    except SystemExit as exit_:
        if exit_.code not in (None, 0) and _command_in(arguments) == "health":
            return EXIT_DOCUMENT_FAILED  # Docker reserves 2: a health check says 0 or 1
        raise
    level: list[str] = [getattr(args, "log_level", None) or ""]

    def run() -> int:
        settings = load_settings()
        if level[0]:
            settings.log.level = level[0]  # type: ignore[assignment]  # checked by argparse
        level[0] = settings.log.level
        try:
            return _COMMANDS[args.command](args, settings)
        except RefusedError:  # already explained on stderr
            return EXIT_USAGE
        except BrokenPipeError:  # e.g. `| head` stopped reading: not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return EXIT_OK

    status = report_faults(run, debug=lambda: level[0] == "DEBUG")
    if args.command == "health" and status not in (EXIT_OK, EXIT_DOCUMENT_FAILED):
        return EXIT_DOCUMENT_FAILED  # a fault of the configuration is unhealthy too, not 2
    return status


def _command_in(arguments: Sequence[str]) -> str | None:
    """The command named in ``arguments`` (skipping options and ``--log-level``'s value)."""
    skip = False
    for argument in arguments:
        if skip or argument.startswith("-"):
            skip = argument == "--log-level"
            continue
        return argument
    return None


# --- parse -----------------------------------------------------------------------------------


def cmd_parse(args: argparse.Namespace, settings: Settings) -> int:
    vocabulary = load_vocabulary(settings.digests.tag_vocabulary)
    result = parse_paths(args.files, vocabulary)
    if args.json:
        payload = {
            "documents": [doc.model_dump(mode="json") for doc in result.documents],
            "errors": [err.model_dump(mode="json") for err in result.errors],
            "notices": [notice.model_dump(mode="json") for notice in result.notices],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        # soft_wrap: lines are not cut at 80 columns when piped (a terminal wraps by itself)
        out = Console(highlight=False, soft_wrap=True)
        for doc in result.documents:
            when = doc.period_start or doc.date
            kind = f"{doc.kind.value} (review)" if doc.is_review else doc.kind.value
            out.print(
                f"[bold]{escape(doc.source)}[/]: {kind} · {when or 'undated'} · "
                f"{len(doc.papers)} papers · {escape(doc.title)}"
            )
            for paper in doc.papers:
                tags = " ".join(f"#{t}" for t in paper.tags)
                out.print(f"  - {escape(paper.title)}  [dim]{escape(tags)}[/]")
        _print_notices(result.notices)
        _print_errors(result.errors)
    return EXIT_DOCUMENT_FAILED if result.errors else EXIT_OK


def _print_errors(errors: Sequence[ParseError]) -> None:
    err = Console(stderr=True, highlight=False, soft_wrap=True)  # paths stay whole
    for error in errors:
        err.print(f"[red]error[/]: {escape(f'{error_place(error)}: {error.message}')}")


def _print_notices(notices: Sequence[ParseError]) -> None:
    """Files skipped on purpose (a copy of a note, a table): said, but no failure."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    for notice in notices:
        err.print(f"[yellow]notice[/]: {escape(f'{error_place(notice)}: {notice.message}')}")


def error_place(error: ParseError) -> str:
    """``path:line``, or just the path for a fault of the whole file (line 0)."""
    return f"{error.source}:{error.line}" if error.line > 0 else error.source


# --- ingest ----------------------------------------------------------------------------------


async def _ingest_with_progress(
    store: Store, paths: Sequence[Path], settings: Settings, *, progress: bool
) -> IngestTotals:
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        disable=not progress,
        transient=True,
    ) as bar:
        task = bar.add_task("ingesting", total=None)
        return await ingest_paths(
            store,
            paths,
            settings.digests.tag_vocabulary,
            on_progress=lambda done, total: bar.update(task, completed=done, total=total),
        )


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    paths = args.paths or settings.digests.paths
    if not paths:
        _fail(
            "nothing to ingest: give files or folders (paperbot ingest PATH...), or set "
            "[digests] paths in config.toml"
        )
        return EXIT_USAGE
    missing = [p for p in paths if not p.exists()]
    if missing:
        _fail(f"no such file or folder: {', '.join(map(str, missing))}")
        return EXIT_USAGE

    async def run() -> IngestTotals:
        async with await _open_store(args, settings, ingesting=True) as store:
            return await _ingest_with_progress(store, paths, settings, progress=sys.stderr.isatty())

    try:
        totals = asyncio.run(run())
    except KeyboardInterrupt:  # one line, no traceback: each stored document is complete
        _fail("interrupted; what was stored so far is kept")
        return EXIT_INTERRUPTED
    _print_notices(totals.notices)
    _print_errors(totals.errors)
    notices = f"  notices: {len(totals.notices)}" if totals.notices else ""
    print(
        f"new: {totals.new}  updated: {totals.updated}  unchanged: {totals.unchanged}  "
        f"failed: {totals.failed}{notices}"
    )
    return EXIT_DOCUMENT_FAILED if totals.failed else EXIT_OK


# --- search / random / stats -----------------------------------------------------------------


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    kind = DigestKind(args.kind) if args.kind else None
    query = " ".join(args.query)

    async def run() -> int:
        async with await _open_for_reading(args, settings) as store:
            tag = await _known_tag(store, settings, args.tag)
            page = await store.search(query, tag=tag, kind=kind, limit=args.limit)
        if args.json:
            results = [
                {
                    "id": hit.paper.id,
                    "title_en": hit.paper.title_en,
                    "title_ko": hit.paper.title_ko,
                    "score": round(hit.score, 4),
                    "tags": hit.paper.tags,
                    "mentions": _mentions_json(hit.paper),
                }
                for hit in page.hits
            ]
            print(json.dumps({"query": query, "results": results}, ensure_ascii=False, indent=2))
            return EXIT_OK
        if not page.hits:
            print(f"No papers match {query!r}.")
            return EXIT_OK
        matches = "1 paper matches" if page.total == 1 else f"{page.total} papers match"
        best = "" if page.total == len(page.hits) else f"; the best {len(page.hits)}"
        print(f"{matches} {query!r}{best}:")
        for rank, hit in enumerate(page.hits, start=1):
            print(f"{rank:>3}. {_paper_line(hit.paper)}")
        return EXIT_OK

    return asyncio.run(run())


def cmd_random(args: argparse.Namespace, settings: Settings) -> int:
    async def run() -> int:
        async with await _open_for_reading(args, settings) as store:
            tag = await _known_tag(store, settings, args.tag)
            paper = await store.random_paper(tag=tag)
        if paper is None:
            where = f" tagged {args.tag!r}" if args.tag else ""
            print(f"No papers{where} in the store.")
            return EXIT_OK
        if args.json:
            print(json.dumps(paper.model_dump(mode="json"), ensure_ascii=False, indent=2))
        else:
            _print_paper(paper)
        return EXIT_OK

    return asyncio.run(run())


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    async def run() -> int:
        async with await _open_for_reading(args, settings) as store:
            stats = await store.stats()
            tags = await store.tag_counts()
        if args.json:
            payload = stats.model_dump(mode="json") | {"top_tags": dict(tags[:20])}
            print(json.dumps(payload, ensure_ascii=False, indent=2))
            return EXIT_OK
        print(f"store: {_db_path(args, settings)} ({stats.db_size_bytes / 1024:.0f} KiB)")
        by_kind = ", ".join(f"{kind.value} {count}" for kind, count in stats.documents.items())
        print(
            f"documents: {sum(stats.documents.values())} ({by_kind})  papers: {stats.papers}"
            f"  mentions: {stats.mentions}  tags: {stats.tags}"
        )
        if tags:
            print("top tags: " + ", ".join(f"#{t} ({n})" for t, n in tags[:15]))
        return EXIT_OK

    return asyncio.run(run())


# --- run / playground ------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.discord.runner import configure_logging, run_bot

    token = settings.token()
    if token is None:
        if not sys.stdin.isatty():  # e.g. a container without a token: say so, don't idle
            _fail(
                "no Discord token: set DISCORD_TOKEN (or DISCORD_TOKEN_FILE), or run "
                "`paperbot playground` to try the bot on a local emulator"
            )
            return EXIT_USAGE
        return cmd_playground(args, settings)
    configure_logging(settings.log.level)
    asyncio.run(run_bot(settings, token))
    return EXIT_OK


def cmd_playground(args: argparse.Namespace, settings: Settings) -> int:
    from bot.discord.runner import configure_logging
    from bot.playground import run_playground

    # The playground's terminal is for the conversation; only problems are logged.
    configure_logging(getattr(args, "log_level", None) or "WARNING")
    asyncio.run(run_playground(settings))
    return EXIT_OK


def cmd_health(args: argparse.Namespace, settings: Settings) -> int:
    """Read the heartbeat only: light enough to run every minute, and never a writer."""
    from bot.clock import utcnow
    from bot.runtime.health import check_health

    # Reads the meta table through a URI that creates no -wal/-shm file (``read_meta``).
    health = check_health(_db_path(args, settings), args.max_age, utcnow())
    print(health.message)
    return EXIT_OK if health.healthy else EXIT_DOCUMENT_FAILED


# --- helpers ---------------------------------------------------------------------------------


def _db_path(args: argparse.Namespace, settings: Settings) -> Path:
    return args.db if args.db is not None else settings.store.path


async def _open_for_reading(args: argparse.Namespace, settings: Settings) -> Store:
    """For the read commands: a store this process may not write is opened read-only
    (searchable all the same); any other goes through ``_open_store``."""
    path = _db_path(args, settings)
    if needs_read_only(path):
        store, _ = await open_store(settings, path=path, read_only=True)
        return store
    return await _open_store(args, settings)


async def _open_store(
    args: argparse.Namespace, settings: Settings, *, ingesting: bool = False
) -> Store:
    """Open the store as the bot does (``bot.app.open_store``): a new store, or one whose
    first fill was interrupted, is first filled from the configured digests (the bundled
    samples only with ``[digests] samples = true``), whichever command opens it."""
    path = _db_path(args, settings)
    store, totals = await open_store(settings, path=path)
    note = Console(stderr=True, highlight=False, soft_wrap=True)
    if totals is not None and settings.digests.paths:
        _print_errors(totals.errors)
        note.print(
            escape(
                f"new store {path}: loaded {totals.new} digests from "
                f"{', '.join(map(str, settings.digests.paths))}"
            ),
            style="dim",
        )
    elif totals is not None and not ingesting:
        note.print(
            escape(
                f"new store {path}: empty, no [digests] paths are configured "
                "(paperbot ingest PATH... loads digests)"
            ),
            style="dim",
        )
    return store


def _mentions_json(paper: PaperRecord) -> list[dict[str, Any]]:
    return [
        {
            "issue_title": m.issue_title,
            "kind": m.kind.value,
            "date": m.date.isoformat() if m.date else None,
        }
        for m in paper.mentions
    ]


MENTIONS_SHOWN = 3  # a common paper is mentioned in hundreds of digests: the newest few


def _paper_line(paper: PaperRecord) -> str:
    """One line per paper, however often it was mentioned: the newest mentions and a count."""
    title = paper.title_en or paper.title_ko or "(untitled)"
    if paper.title_en and paper.title_ko and paper.title_en != paper.title_ko:
        title = f"{paper.title_en} / {paper.title_ko}"
    newest = sorted(paper.mentions, key=lambda m: m.date or date.min, reverse=True)
    seen = ", ".join(
        f"{m.kind.value} {m.date.isoformat() if m.date else ''}".strip()
        for m in newest[:MENTIONS_SHOWN]
    )
    if len(newest) > MENTIONS_SHOWN:
        seen += f" +{len(newest) - MENTIONS_SHOWN} more"
    tags = " ".join(f"#{t}" for t in paper.tags)
    return " ".join(part for part in (f"[{paper.id}] {title}", tags, f"({seen})") if part)


def _print_paper(paper: PaperRecord) -> None:
    # markup=False: digest text may contain [brackets] that rich would read as markup;
    # soft_wrap: piped output is not cut at 80 columns (the terminal wraps what it shows).
    out = Console(highlight=False, markup=False, soft_wrap=True)
    out.print(f"{paper.title_en or paper.title_ko}  (id {paper.id})", style="bold")
    if paper.title_en and paper.title_ko:
        out.print(paper.title_ko)
    if paper.authors:
        out.print(", ".join(paper.authors), style="dim")
    if paper.tags:
        out.print(" ".join(f"#{t}" for t in paper.tags), style="cyan")
    for text in (paper.summary_ko, paper.summary_en, paper.commentary, paper.abstract_en):
        if text:
            out.print(_shorten(text, 600))
            break
    for link in paper.links:
        out.print(f"{link.kind.value}: {link.url}")
    for m in paper.mentions:
        out.print(
            f"in {m.kind.value} {m.date.isoformat() if m.date else ''}: {m.issue_title}",
            style="dim",
        )


class RefusedError(Exception):
    """The input cannot be used; the message was already printed. Exit status 2."""


async def _known_tag(store: Store, settings: Settings, raw: str | None) -> str | None:
    """The canonical tag for ``--tag`` (aliases resolved), as the slash commands take it; an
    unknown one is refused with the nearest tags, as in Discord."""
    if raw is None:
        return None
    lookup = Lookup(store)
    try:
        return await lookup.known_tag(raw)
    except NoPapersTaggedError as error:  # a real tag, just no paper yet: nothing is found
        return error.tag
    except UnknownTagError as error:
        if error.near:
            _fail(f"no tag {error.tag!r}; did you mean {' or '.join(error.near)}?")
        else:
            _fail(f"no tag {error.tag!r}; `paperbot stats` lists the most used tags")
        raise RefusedError from None


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _fail(message: str) -> None:
    # soft_wrap: one line whatever the terminal's width (paths stay whole)
    Console(stderr=True, highlight=False, soft_wrap=True).print(f"[red]error[/]: {escape(message)}")


_COMMANDS = {
    "parse": cmd_parse,
    "ingest": cmd_ingest,
    "search": cmd_search,
    "random": cmd_random,
    "stats": cmd_stats,
    "run": cmd_run,
    "playground": cmd_playground,
    "health": cmd_health,
}
