"""Benchmarks of the real pipeline on the synthetic corpus of ``bench.generate``.

    python -m bench.run [--papers 100000] [--out bench/out]

1. **Corpus**: reuses ``<out>/corpus`` when its manifest matches ``--papers`` and ``--seed``,
   else generates it (in a child process, so generation does not count towards peak RSS).
2. **Ingest**: every digest file goes through ``bot.digests.parse.parse_file`` and then
   ``Store.ingest`` into a fresh SQLite file, file by file as ``paperbot ingest`` does. Parse
   and store time are measured separately, as wall time and as process CPU time (CPU time
   includes aiosqlite's worker threads and is less sensitive to other load on the machine).
   ``Store.optimize()`` (FTS merge, ``PRAGMA optimize``) is run and timed afterwards.
3. **Search latency**: a warm-up pass over the latency query set, then ``--passes`` timed
   passes of ``store.search(query, tag=..., limit=10)``: Korean two-syllable words, Korean
   phrases, English multi-word queries, author names and tag-filtered queries.
4. **Memory and size**: peak RSS (``ru_maxrss``) after ingest and after search; the database
   file size (with its WAL) once closed.
5. **Relevance**: the ground-truth queries against ``store.search`` and against a plain FTS5
   table with SQLite's default ``unicode61`` tokenizer over the same parsed text (title,
   authors, tags, summaries, abstracts, commentary; one row per mention, built with the stdlib
   ``sqlite3`` in a separate file while the ingest runs, outside the timed sections), queried
   with ``MATCH`` of the quoted query words; recall@5 for each, overall and per category.

Results are printed as tables and written to ``<out>/results.json``; ``--profile`` adds a
cProfile of ingesting and searching a slice of the corpus (``<out>/profile.txt``).

Why one long script: each stage feeds the next (corpus, ingest, latency, memory, relevance)
and the report prints them together; benchmarks are run, not imported.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import hashlib
import io
import json
import math
import os
import platform
import pstats
import resource
import sqlite3
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import bot
from bench.generate import DEFAULT_PAPERS, DEFAULT_SEED, FORMAT_VERSION, read_manifest
from bot.digests.models import Document, normalise_title
from bot.digests.parse import iter_digest_files, parse_file
from bot.digests.tags import TagVocabulary, load_vocabulary
from bot.store import Store

TARGETS = {
    "ingest_papers_per_s": 2000.0,
    "search_p99_ms": 15.0,  # issue 9 (was 30)
    "peak_rss_mb": 300.0,
    "database_ratio": 2.5,  # issue 9: database size / unicode61 baseline
    "tag_precision": 0.70,  # issue 9: on hand-tagged entries, paperbot's tags people gave
}
RECALL_AT = 5
LATENCY_LIMIT = 10
BASELINE_COMMIT_EVERY = 50  # files
# Very frequent words, timed apart from the mix: the worst case of a ranked search.
HEAVY_QUERIES = ("모델", "학습", "생성", "model", "language models", "learning")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------------------------


def ensure_corpus(corpus: Path, papers: int, seed: int, *, regenerate: bool) -> dict[str, Any]:
    manifest = read_manifest(corpus)
    if (
        not regenerate
        and manifest is not None
        and manifest.get("format_version") == FORMAT_VERSION
        and manifest.get("papers") == papers
        and manifest.get("seed") == seed
    ):
        log(f"reusing the corpus in {corpus} ({papers:,} papers)")
        return manifest
    log(f"generating {papers:,} papers into {corpus} ...")
    command = [sys.executable, "-m", "bench.generate", "--papers", str(papers)]
    command += ["--out", str(corpus), "--seed", str(seed)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    manifest = read_manifest(corpus)
    if manifest is None:
        raise RuntimeError("the generator wrote no manifest")
    return manifest


# --------------------------------------------------------------------------------------------
# The unicode61 baseline
# --------------------------------------------------------------------------------------------


class Baseline:
    """A plain FTS5 table (default tokenizer ``unicode61``) over the parsed text."""

    def __init__(self, path: Path) -> None:
        remove_database(path)
        self.path = path
        self.db = sqlite3.connect(path)
        self.db.execute(
            "CREATE VIRTUAL TABLE papers USING fts5("
            "identity UNINDEXED, title, authors, tags, summaries, abstracts, commentary)"
        )
        self.rows = 0

    def add(self, documents: Sequence[Document]) -> None:
        rows = []
        for document in documents:
            for paper in document.papers:
                rows.append(
                    (
                        paper.identity,
                        _join(paper.title_en, paper.title_ko),
                        ", ".join(paper.authors),
                        " ".join(paper.tags),
                        _join(paper.summary_ko, paper.summary_en),
                        _join(paper.abstract_ko, paper.abstract_en),
                        paper.commentary or "",
                    )
                )
        self.db.executemany("INSERT INTO papers VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        self.rows += len(rows)

    def commit(self) -> None:
        self.db.commit()

    def search(self, query: str, tag: str | None, limit: int) -> list[str]:
        """Identities of the best papers: every query word quoted, implicitly AND-ed."""
        expression = " ".join(_quote(word) for word in query.split())
        if tag:
            expression = f"({expression}) AND tags : {_quote(tag)}"
        identities: list[str] = []
        rows = self.db.execute(
            "SELECT identity FROM papers WHERE papers MATCH ? ORDER BY rank LIMIT ?",
            (expression, limit * 4),
        )
        for (identity,) in rows:
            if identity not in identities:
                identities.append(identity)
        return identities[:limit]

    def close(self) -> None:
        self.db.commit()
        self.db.close()


def _join(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p)


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def database_bytes(path: Path) -> int:
    return sum(
        Path(f"{path}{suffix}").stat().st_size
        for suffix in ("", "-wal")
        if Path(f"{path}{suffix}").exists()
    )


# --------------------------------------------------------------------------------------------
# Ingest
# --------------------------------------------------------------------------------------------


@dataclass
class IngestResult:
    files: int = 0
    documents: int = 0
    mentions: int = 0
    parse_wall: float = 0.0
    parse_cpu: float = 0.0
    store_wall: float = 0.0
    store_cpu: float = 0.0
    parse_errors: list[str] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)
    parse_wall_by_kind: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    mentions_by_kind: Counter[str] = field(default_factory=Counter)


async def ingest(
    store: Store,
    files: Sequence[Path],
    vocabulary: TagVocabulary,
    baseline: Baseline | None,
    *,
    files_per_call: int,
) -> IngestResult:
    """Parse and store, timing each side; feed the baseline outside the timed sections."""
    result = IngestResult()
    pending: list[Document] = []
    clock, cpu = time.perf_counter, time.process_time
    started = clock()
    for index, path in enumerate(files, start=1):
        wall0, cpu0 = clock(), cpu()
        parsed = parse_file(path, vocabulary)
        elapsed = clock() - wall0
        result.parse_wall += elapsed
        result.parse_cpu += cpu() - cpu0
        result.files += 1
        result.parse_errors += [f"{e.source}:{e.line}: {e.message}" for e in parsed.errors]
        for document in parsed.documents:
            result.parse_wall_by_kind[document.kind.value] += elapsed
            result.mentions_by_kind[document.kind.value] += len(document.papers)
        pending.extend(parsed.documents)
        if pending and (len(pending) >= files_per_call or index == len(files)):
            wall0, cpu0 = clock(), cpu()
            report = await store.ingest(pending)
            result.store_wall += clock() - wall0
            result.store_cpu += cpu() - cpu0
            result.documents += len(pending)
            result.mentions += sum(len(d.papers) for d in pending)
            for outcome in report.documents:
                result.outcomes[outcome.status.value] += 1
            if baseline is not None:
                baseline.add(pending)
                if index % BASELINE_COMMIT_EVERY == 0:
                    baseline.commit()
            pending = []
        if index % 500 == 0 or index == len(files):
            total = result.parse_wall + result.store_wall
            log(
                f"  {index:,}/{len(files):,} files, {result.mentions:,} mentions; "
                f"parse {result.parse_wall:.0f} s, store {result.store_wall:.0f} s, "
                f"{result.mentions / total if total else 0:,.0f} mentions/s "
                f"(elapsed {clock() - started:.0f} s)"
            )
    if baseline is not None:
        baseline.commit()
    return result


# --------------------------------------------------------------------------------------------
# Search latency and relevance
# --------------------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def latency_summary(samples: Sequence[float]) -> dict[str, float]:
    return {
        "n": len(samples),
        "p50_ms": round(percentile(samples, 50), 2),
        "p90_ms": round(percentile(samples, 90), 2),
        "p99_ms": round(percentile(samples, 99), 2),
        "max_ms": round(max(samples), 2),
        "mean_ms": round(sum(samples) / len(samples), 2),
    }


async def search_latency(
    store: Store, queries: Sequence[dict[str, Any]], passes: int
) -> dict[str, Any]:
    for query in queries:  # warm-up: page cache, statement cache, stemmer caches
        await store.search(query["query"], tag=query["tag"], limit=LATENCY_LIMIT)
    by_category: dict[str, list[float]] = defaultdict(list)
    cpu_samples: list[float] = []
    totals: dict[str, list[int]] = defaultdict(list)
    slowest: list[tuple[float, str, str | None, int, str]] = []
    for _ in range(passes):
        for query in queries:
            started, cpu_started = time.perf_counter(), time.process_time()
            page = await store.search(query["query"], tag=query["tag"], limit=LATENCY_LIMIT)
            ms = (time.perf_counter() - started) * 1000
            cpu_samples.append((time.process_time() - cpu_started) * 1000)
            by_category[query["category"]].append(ms)
            totals[query["category"]].append(page.total)
            slowest.append((ms, query["query"], query["tag"], page.total, page.strategy))
    everything = [ms for samples in by_category.values() for ms in samples]
    slowest.sort(reverse=True)
    return {
        "queries": len(queries),
        "passes": passes,
        "limit": LATENCY_LIMIT,
        "overall": latency_summary(everything),
        # Process CPU time per search (this thread and SQLite's): what the latency would be
        # without other load competing for the 2 cores.
        "overall_cpu": latency_summary(cpu_samples),
        "by_category": {
            category: latency_summary(samples)
            | {"mean_matches": round(sum(totals[category]) / len(totals[category]))}
            for category, samples in by_category.items()
        },
        "slowest": [
            {"ms": round(ms, 2), "query": q, "tag": tag, "matches": total, "strategy": strategy}
            for ms, q, tag, total, strategy in slowest[:10]
        ],
    }


async def heavy_latency(store: Store, passes: int) -> list[dict[str, Any]]:
    rows = []
    for query in HEAVY_QUERIES:
        page = await store.search(query, limit=LATENCY_LIMIT)  # warm-up
        samples = []
        for _ in range(passes):
            started = time.perf_counter()
            await store.search(query, limit=LATENCY_LIMIT)
            samples.append((time.perf_counter() - started) * 1000)
        rows.append(
            {
                "query": query,
                "matches": page.total,
                "median_ms": round(sorted(samples)[len(samples) // 2], 2),
                "max_ms": round(max(samples), 2),
            }
        )
    return rows


def code_fingerprint() -> str:
    """sha256 over the bot's digest and store sources: which code the numbers belong to."""
    root = Path(__file__).resolve().parent.parent / "bot"
    digest = hashlib.sha256()
    for path in sorted([*root.glob("digests/*"), *root.glob("store/*"), *root.glob("store/*/*")]):
        if path.is_file() and path.suffix in (".py", ".toml", ".sql"):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def identity_of(item: dict[str, Any]) -> str:
    if item.get("arxiv_id"):
        return f"arxiv:{item['arxiv_id']}"
    return f"title:{normalise_title(item['title_en'])}"


async def relevance(store: Store, baseline: Baseline, truth: dict[str, Any]) -> dict[str, Any]:
    per_query = []
    for query in truth["queries"]:
        relevant = {identity_of(r) for r in query["relevant"]}
        slugs = {identity_of(r): r["slug"] for r in query["relevant"]}
        page = await store.search(query["query"], tag=query["tag"], limit=RECALL_AT)
        ours = [hit.paper.identity for hit in page.hits]
        try:
            theirs = baseline.search(query["query"], query["tag"], RECALL_AT)
            baseline_error = None
        except sqlite3.Error as error:  # the plain MATCH can fail on odd input
            theirs, baseline_error = [], str(error)
        per_query.append(
            {
                "category": query["category"],
                "query": query["query"],
                "tag": query["tag"],
                "relevant": len(relevant),
                "paperbot_recall": len(relevant & set(ours)) / len(relevant),
                "unicode61_recall": len(relevant & set(theirs)) / len(relevant),
                "paperbot_strategy": page.strategy,
                "paperbot_total": page.total,
                "paperbot_missed": sorted(slugs[i] for i in relevant - set(ours)),
                "unicode61_missed": sorted(slugs[i] for i in relevant - set(theirs)),
                "unicode61_error": baseline_error,
            }
        )
    categories: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in per_query:
        categories[row["category"]].append(row)

    def mean(rows: Sequence[dict[str, Any]], key: str) -> float:
        return round(float(sum(r[key] for r in rows)) / len(rows), 3)

    return {
        "k": RECALL_AT,
        "queries": len(per_query),
        "overall": {
            "paperbot": mean(per_query, "paperbot_recall"),
            "unicode61": mean(per_query, "unicode61_recall"),
        },
        "by_category": {
            category: {
                "queries": len(rows),
                "paperbot": mean(rows, "paperbot_recall"),
                "unicode61": mean(rows, "unicode61_recall"),
            }
            for category, rows in categories.items()
        },
        "per_query": per_query,
    }


# --------------------------------------------------------------------------------------------
# Profile
# --------------------------------------------------------------------------------------------


async def profile(
    corpus: Path,
    out: Path,
    vocabulary: TagVocabulary,
    queries: Sequence[dict[str, Any]],
    store: Store,
    files: int,
) -> str:
    """cProfile of parsing + storing the first ``files`` files into a scratch database, and of
    one pass of the latency queries on the full store. Only the main thread is profiled:
    SQLite work in aiosqlite's threads shows up as time waiting in the event loop."""
    paths = iter_digest_files([corpus])[:files]
    scratch = out / "profile.sqlite3"
    remove_database(scratch)
    report = io.StringIO()
    async with await Store.open(scratch) as small:
        profiler = cProfile.Profile()
        profiler.enable()
        await ingest(small, paths, vocabulary, None, files_per_call=1)
        profiler.disable()
    remove_database(scratch)
    report.write(f"== ingest of {len(paths)} files (main thread), by own time ==\n")
    pstats.Stats(profiler, stream=report).sort_stats("tottime").print_stats(25)
    report.write(f"== ingest of {len(paths)} files, cumulative ==\n")
    pstats.Stats(profiler, stream=report).sort_stats("cumulative").print_stats(30)
    profiler = cProfile.Profile()
    profiler.enable()
    for query in queries:
        await store.search(query["query"], tag=query["tag"], limit=LATENCY_LIMIT)
    profiler.disable()
    report.write("== one pass of the latency queries (main thread), cumulative ==\n")
    pstats.Stats(profiler, stream=report).sort_stats("cumulative").print_stats(25)
    text = report.getvalue()
    (out / "profile.txt").write_text(text, encoding="utf-8")
    return text


async def statement_times(
    store: Store, slowest: Sequence[dict[str, Any]], passes: int = 3
) -> list[dict[str, Any]]:
    """Where the slowest searches spend their time, SQL statement by SQL statement.

    Wraps ``aiosqlite.Connection.execute_fetchall`` and ``execute`` for the duration (so it
    follows whatever SQL the store runs, without knowing it) and re-runs each of the slowest
    distinct searches ``passes`` times; reports the median per statement.
    """
    import aiosqlite

    calls: list[tuple[str, float]] = []
    originals = (aiosqlite.Connection.execute_fetchall, aiosqlite.Connection.execute)

    def timed(original: Any) -> Any:
        async def wrapper(self: Any, sql: str, *args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await original(self, sql, *args, **kwargs)
            finally:
                calls.append((" ".join(sql.split()), (time.perf_counter() - started) * 1000))

        return wrapper

    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str | None]] = set()
    aiosqlite.Connection.execute_fetchall = timed(originals[0])  # type: ignore[method-assign]
    aiosqlite.Connection.execute = timed(originals[1])  # type: ignore[method-assign]
    try:
        for item in slowest:
            key = (item["query"], item["tag"])
            if key in seen or len(seen) >= 5:
                continue
            seen.add(key)
            runs: list[list[tuple[str, float]]] = []
            totals = []
            for _ in range(passes):
                calls.clear()
                started = time.perf_counter()
                await store.search(item["query"], tag=item["tag"], limit=LATENCY_LIMIT)
                totals.append((time.perf_counter() - started) * 1000)
                runs.append(list(calls))
            middle = sorted(range(passes), key=lambda i: totals[i])[passes // 2]
            rows.append(
                {
                    "query": item["query"],
                    "tag": item["tag"],
                    "matches": item["matches"],
                    "search_ms": round(totals[middle], 2),
                    "statements": [
                        {"sql": sql[:160], "ms": round(ms, 2)} for sql, ms in runs[middle]
                    ],
                }
            )
    finally:
        aiosqlite.Connection.execute_fetchall = originals[0]  # type: ignore[method-assign]
        aiosqlite.Connection.execute = originals[1]  # type: ignore[method-assign]
    return rows


# --------------------------------------------------------------------------------------------
# Machine, report
# --------------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu_model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": cpu_model,
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def print_report(results: dict[str, Any]) -> None:
    m, c, i = results["machine"], results["corpus"], results["ingest"]
    s, mem = results["search_latency"], results["memory"]
    rel = results["relevance"]
    print()
    print(f"paperbot benchmark, {results['date']}")
    print(
        f"machine: {m['nproc']} CPUs ({m['cpu']}), Python {m['python']}, SQLite {m['sqlite']}, "
        f"load average at start {m['load_average_at_start']}"
    )
    print(
        f"corpus: {c['papers']:,} papers, {c['mentions']:,} mentions, "
        f"{sum(c['files'].values()):,} files ({c['files']}), {c['bytes'] / 1e6:,.0f} MB"
    )
    print()
    rows = [
        ("ingest papers/s (wall)", f"{i['papers_per_s']:,.0f}",
         f">= {TARGETS['ingest_papers_per_s']:,.0f}"),
        ("  parse only, papers/s", f"{i['parse_papers_per_s']:,.0f}", ""),
        ("  store only, papers/s", f"{i['store_papers_per_s']:,.0f}", ""),
        ("ingest wall s (parse + store)", f"{i['parse_wall_s']:.1f} + {i['store_wall_s']:.1f}", ""),
        ("ingest CPU s (parse + store)", f"{i['parse_cpu_s']:.1f} + {i['store_cpu_s']:.1f}", ""),
        ("optimize s", f"{results['optimize_s']:.1f}", ""),
        ("search p50 ms", f"{s['overall']['p50_ms']:.2f}", ""),
        ("search p99 ms", f"{s['overall']['p99_ms']:.2f}", f"<= {TARGETS['search_p99_ms']:.0f}"),
        ("search max ms", f"{s['overall']['max_ms']:.2f}", ""),
        ("search CPU ms p50 / p99 / max",
         f"{s['overall_cpu']['p50_ms']:.2f} / {s['overall_cpu']['p99_ms']:.2f} / "
         f"{s['overall_cpu']['max_ms']:.2f}", ""),
        ("peak RSS MB", f"{mem['peak_rss_mb']:.0f}", f"<= {TARGETS['peak_rss_mb']:.0f}"),
        ("database MB", f"{mem['database_mb']:.0f}", ""),
        ("unicode61 baseline MB", f"{mem['baseline_database_mb']:.0f}", ""),
        ("database / baseline", f"{mem['database_ratio']:.2f}",
         f"<= {TARGETS['database_ratio']}"),
    ]  # fmt: skip
    for where, value in results.get("tag_precision", {}).items():
        counts = f"({value['agreed']}/{value['ours']}, dropped {value['dropped']})"
        rows.append((
            f"tag precision, hand-tagged {where}",
            f"{value['precision']:.2f} {counts}",
            f">= {TARGETS['tag_precision']}, dropped 0",
        ))  # fmt: skip
    _table(("measure", "value", "target"), rows)
    print()
    print(
        f"search latency by category ({s['queries']} queries x {s['passes']} passes, "
        f"limit {s['limit']}):"
    )
    _table(
        ("category", "n", "p50 ms", "p99 ms", "max ms", "mean matches"),
        [
            (k, str(v["n"]), f"{v['p50_ms']:.2f}", f"{v['p99_ms']:.2f}", f"{v['max_ms']:.2f}",
             f"{v['mean_matches']:,}")
            for k, v in s["by_category"].items()
        ],
    )  # fmt: skip
    print()
    print("very frequent words (not in the mix above):")
    _table(
        ("query", "matches", "median ms", "max ms"),
        [(h["query"], f"{h['matches']:,}", f"{h['median_ms']:.2f}", f"{h['max_ms']:.2f}")
         for h in s["heavy"]],
    )  # fmt: skip
    print()
    print(f"recall@{rel['k']} over {rel['queries']} ground-truth queries:")
    cat_rows = [
        (k, str(v["queries"]), f"{v['paperbot']:.2f}", f"{v['unicode61']:.2f}")
        for k, v in rel["by_category"].items()
    ]
    overall = rel["overall"]
    cat_rows.append(
        ("overall", str(rel["queries"]), f"{overall['paperbot']:.2f}",
         f"{overall['unicode61']:.2f}")
    )  # fmt: skip
    _table(("category", "queries", "paperbot", "unicode61"), cat_rows)
    misses = [q for q in rel["per_query"] if q["paperbot_recall"] < 1]
    if misses:
        print("paperbot misses:")
        for q in misses:
            print(
                f"  {q['query']!r} tag={q['tag']}: recall {q['paperbot_recall']:.2f}, "
                f"missed {q['paperbot_missed']}"
            )
    print()
    breakdown = results.get("search_statements")
    if breakdown:
        print()
        print("slowest searches, statement by statement (median of 3):")
        for b in breakdown:
            tag = f" tag={b['tag']}" if b["tag"] else ""
            print(f"  {b['query']!r}{tag}: {b['search_ms']:.1f} ms, {b['matches']:,} matches")
            for st in b["statements"]:
                print(f"    {st['ms']:7.2f} ms  {st['sql'][:110]}")
    print()
    verdicts = [f"{k} {'met' if ok else 'MISSED'}" for k, ok in results["targets_met"].items()]
    print("targets: " + ", ".join(verdicts))


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
    print(line)
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)) + " |")


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


@dataclass
class Setup:
    out: Path
    corpus: Path
    info: dict[str, Any]
    manifest: dict[str, Any]
    truth: dict[str, Any]
    queries: list[dict[str, Any]]
    files: list[Path]
    db_path: Path
    baseline: Baseline


def prepare(args: argparse.Namespace) -> Setup:
    """Everything that touches the file system before the event loop starts."""
    out: Path = args.out
    corpus = out / "corpus"
    out.mkdir(parents=True, exist_ok=True)
    info = machine()
    info["code_fingerprint"] = code_fingerprint()  # before the run: the code it imported
    manifest = ensure_corpus(corpus, args.papers, args.seed, regenerate=args.regenerate)
    db_path = out / "paperbot.sqlite3"
    remove_database(db_path)
    return Setup(
        out=out,
        corpus=corpus,
        info=info,
        manifest=manifest,
        truth=json.loads((corpus / "ground_truth.json").read_text(encoding="utf-8")),
        queries=json.loads((corpus / "latency_queries.json").read_text(encoding="utf-8")),
        files=iter_digest_files([corpus]),
        db_path=db_path,
        baseline=Baseline(out / "unicode61.sqlite3"),
    )


async def run(args: argparse.Namespace, setup: Setup) -> dict[str, Any]:
    out, corpus, info, manifest = setup.out, setup.corpus, setup.info, setup.manifest
    truth, queries, files = setup.truth, setup.queries, setup.files
    db_path, baseline = setup.db_path, setup.baseline
    vocabulary = load_vocabulary(None)
    log(f"ingesting {len(files):,} files into {db_path} ...")
    store = await Store.open(db_path)
    try:
        ingested = await ingest(
            store, files, vocabulary, baseline, files_per_call=args.files_per_call
        )
        rss_after_ingest = rss_mb()
        log("optimize ...")
        started = time.perf_counter()
        await store.optimize()
        optimize_s = time.perf_counter() - started
        stats = await store.stats()
        log(f"search latency: {len(queries)} queries, warm-up + {args.passes} passes ...")
        latency = await search_latency(store, queries, args.passes)
        latency["heavy"] = await heavy_latency(store, args.passes)
        rss_after_search = rss_mb()
        log("relevance ...")
        relevance_result = await relevance(store, baseline, truth)
        profile_text = None
        breakdown: list[dict[str, Any]] = []
        if args.profile:
            log(f"profiling ({args.profile} files, one pass of the latency queries) ...")
            profile_text = await profile(corpus, out, vocabulary, queries, store, args.profile)
            breakdown = await statement_times(store, latency["slowest"])
    finally:
        await store.close()
        baseline.close()

    papers = manifest["papers"]
    total_wall = ingested.parse_wall + ingested.store_wall
    results: dict[str, Any] = {
        "date": args.date,
        "command": "python -m bench.run " + " ".join(sys.argv[1:]),
        "machine": info,
        "code_fingerprint_at_start": info.pop("code_fingerprint"),
        "code_fingerprint_at_end": code_fingerprint(),
        "corpus": {
            k: manifest[k] for k in ("papers", "mentions", "files", "bytes", "seed", "needles")
        },
        "ingest": {
            "files": ingested.files,
            "documents": ingested.documents,
            "mentions": ingested.mentions,
            "files_per_call": args.files_per_call,
            "outcomes": dict(ingested.outcomes),
            "parse_errors": len(ingested.parse_errors),
            "parse_error_examples": ingested.parse_errors[:5],
            "parse_wall_s": round(ingested.parse_wall, 2),
            "parse_cpu_s": round(ingested.parse_cpu, 2),
            "store_wall_s": round(ingested.store_wall, 2),
            "store_cpu_s": round(ingested.store_cpu, 2),
            "papers_per_s": round(papers / total_wall, 1),
            "papers_per_cpu_s": round(papers / (ingested.parse_cpu + ingested.store_cpu), 1),
            "parse_papers_per_s": round(papers / ingested.parse_wall, 1),
            "store_papers_per_s": round(papers / ingested.store_wall, 1),
            "parse_mentions_per_s_by_kind": {
                kind: round(ingested.mentions_by_kind[kind] / seconds, 1)
                for kind, seconds in ingested.parse_wall_by_kind.items()
            },
        },
        "optimize_s": round(optimize_s, 2),
        "store": {
            "papers": stats.papers,
            "mentions": stats.mentions,
            "documents": {str(k): v for k, v in stats.documents.items()},
            "tags": stats.tags,
            "papers_expected": papers,
            "mentions_expected": manifest["mentions"],
        },
        "search_latency": latency,
        "memory": {
            "peak_rss_mb": round(rss_after_search, 1),
            "peak_rss_after_ingest_mb": round(rss_after_ingest, 1),
            "database_mb": round(database_bytes(db_path) / 1e6, 1),
            "baseline_database_mb": round(database_bytes(baseline.path) / 1e6, 1),
        },
        "relevance": relevance_result,
        "tag_precision": tag_precision(files),
    }
    results["memory"]["database_ratio"] = round(
        results["memory"]["database_mb"] / results["memory"]["baseline_database_mb"], 3
    )
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["targets_met"] = {
        "ingest >= 2000 papers/s": results["ingest"]["papers_per_s"]
        >= TARGETS["ingest_papers_per_s"],
        "search p99 <= 15 ms": latency["overall"]["p99_ms"] <= TARGETS["search_p99_ms"],
        "peak RSS <= 300 MB": rss_after_search <= TARGETS["peak_rss_mb"],
        "database <= 2.5x unicode61": results["memory"]["database_ratio"]
        <= TARGETS["database_ratio"],
    }
    if profile_text is not None:
        results["profile_file"] = str(out / "profile.txt")
        results["search_statements"] = breakdown
    return results


def tag_precision(files: Sequence[Path], sample_files: int = 400) -> dict[str, dict[str, Any]]:
    """Issue 9's alert precision on hand-tagged daily entries: the bundled (real) samples and
    the corpus's first ``sample_files`` daily files (synthetic hand tags, see README)."""
    try:
        from bot.digests.parse import parse_untagged, tag_agreement
    except ImportError:  # code before issue 9
        return {}
    vocabulary = load_vocabulary(None)
    samples = sorted((Path(bot.__file__).parent / "sample_digests").glob("daily-*.txt"))
    corpus = [path for path in files if path.name.startswith("daily-")][:sample_files]
    out: dict[str, dict[str, Any]] = {}
    for where, paths in (("sample dailies", samples), ("corpus dailies", corpus)):
        documents = [parse_untagged(p.read_text("utf-8"), str(p)) for p in paths]
        agreed, ours, dropped = tag_agreement(documents, vocabulary)
        out[where] = {
            "agreed": agreed,
            "ours": ours,
            "dropped": dropped,
            "precision": round(agreed / ours, 3) if ours else 0.0,
        }
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, default=DEFAULT_PAPERS)
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--regenerate", action="store_true", help="generate even if reusable")
    parser.add_argument("--passes", type=int, default=3, help="timed passes over the queries")
    parser.add_argument(
        "--files-per-call",
        type=int,
        default=1,
        help="files per Store.ingest call (1 = like `paperbot ingest`)",
    )
    parser.add_argument(
        "--profile", type=int, default=0, metavar="FILES", help="also cProfile this many files"
    )
    parser.add_argument("--date", default=date.today().isoformat(), help="date for the report")
    args = parser.parse_args(argv)
    results = asyncio.run(run(args, prepare(args)))
    path = args.out / "results.json"
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print_report(results)
    print(f"\nresults written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
