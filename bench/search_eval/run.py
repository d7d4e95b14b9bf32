"""Search quality on the real archive: paperbot's /search against two FTS5 baselines.

    python -m bench.search_eval.run [--repo PATH] [--out DIR] [--rebuild] [--verbose]

For every query of ``queries.toml`` (written and judged by hand, see its header), the first
10 results of three systems over the same stored notes:

- **paperbot**: ``Store.search`` as ``/search`` calls it (two pages of 5), on a store that
  paperbot's own ingest filled from the archive (``corpus.py``);
- **unicode61**: SQLite FTS5, default tokenizer, all query words required, bm25;
- **bigram**: FTS5 over Hangul syllable bigrams and lowercased words, any token, bm25
  (``baselines.py``).

How results map to notes: a paperbot result is a paper, and a paper lists the digests that
mention it; here every digest is one note file, so a result stands for the notes that mention
its paper (usually one; two notes about one arXiv paper, or a review note whose first link is
that paper, give one result naming both). Notes are identified by file name, as paperbot's
document key does, so a note held twice in the archive is one note. A baseline result is one
note.

Measures, per kind and overall (a query weighs the same whatever its number of relevant
notes):

- **MRR@10**: 1 / the rank of the first result naming a relevant note (0 if none in 10);
- **R@10**: relevant notes named by the first 10 results / min(relevant notes, 10), so that
  a query with 20 relevant notes can reach 1;
- **empty**: the share of queries for which the system returned nothing at all.

The table is printed as Markdown; ``--verbose`` adds each query's rank per system and what
paperbot returned. Everything is also written to ``<out>/search-eval-results.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import subprocess
import sys
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.search_eval import _paperbot as pb
from bench.search_eval import corpus
from bench.search_eval.baselines import Bigram, Unicode61, read_note

QUERIES = Path(__file__).with_name("queries.toml")
RESULTS = "search-eval-results.json"
KINDS = ("partial", "cross", "compound", "translit", "typo")
SYSTEMS = ("paperbot", "unicode61", "bigram")
DEPTH = 10


@dataclass(frozen=True)
class Query:
    kind: str
    text: str
    relevant: frozenset[str]  # note names
    paths: tuple[str, ...]


@dataclass
class Outcome:
    results: list[frozenset[str]]  # per result, the notes it names
    rank: int | None = None
    recall: float = 0.0
    titles: list[str] = field(default_factory=list)
    extra: str = ""

    @property
    def empty(self) -> bool:
        return not self.results


def load_queries(path: Path = QUERIES) -> tuple[str, list[Query]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    queries = [
        Query(
            kind=q["kind"],
            text=q["text"],
            relevant=frozenset(pb.note_name(p) for p in q["relevant"]),
            paths=tuple(q["relevant"]),
        )
        for q in data["query"]
    ]
    unknown = {q.kind for q in queries} - set(KINDS)
    if unknown:
        raise SystemExit(f"error: {path}: unknown kinds {sorted(unknown)}")
    return data.get("snapshot", ""), queries


def judge(outcome: Outcome, relevant: frozenset[str]) -> Outcome:
    results = outcome.results[:DEPTH]
    outcome.rank = next((i for i, notes in enumerate(results, 1) if notes & relevant), None)
    named = frozenset().union(*results) if results else frozenset()
    outcome.recall = len(named & relevant) / min(len(relevant), DEPTH)
    return outcome


def summarise(outcomes: Sequence[Outcome]) -> tuple[float, float, float]:
    """(MRR@10, R@10, share empty) over ``outcomes``."""
    n = len(outcomes) or 1
    mrr = sum(1 / o.rank for o in outcomes if o.rank) / n
    recall = sum(o.recall for o in outcomes) / n
    empty = sum(o.empty for o in outcomes) / n
    return mrr, recall, empty


def _cell(outcome: Outcome) -> str:
    if outcome.empty:
        return "∅"
    return str(outcome.rank) if outcome.rank else "–"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def summary_table(queries: Sequence[Query], outcomes: dict[str, list[Outcome]]) -> str:
    head = "| kind | queries |" + "".join(f" {s} MRR@10 | {s} R@10 | {s} empty |" for s in SYSTEMS)
    lines = [head, "|---|---:|" + "---:|---:|---:|" * len(SYSTEMS)]
    groups: list[tuple[str, Callable[[Query], bool]]] = [
        *((kind, lambda q, k=kind: q.kind == k) for kind in KINDS),
        ("**overall**", lambda q: True),
    ]
    for label, wanted in groups:
        picked = [i for i, q in enumerate(queries) if wanted(q)]
        cells = []
        for system in SYSTEMS:
            mrr, recall, empty = summarise([outcomes[system][i] for i in picked])
            cells.append(f" {mrr:.3f} | {recall:.3f} | {empty:.0%} |")
        lines.append(f"| {label} | {len(picked)} |" + "".join(cells))
    return "\n".join(lines)


def detail_table(queries: Sequence[Query], outcomes: dict[str, list[Outcome]]) -> str:
    lines = [
        "Rank of the first relevant result per system (– not in the first 10, ∅ no results);"
        " paperbot's strategy, total and first three titles.",
        "",
        "| kind | query | relevant | " + " | ".join(SYSTEMS) + " | paperbot returned |",
        "|---|---|---:|" + "---:|" * len(SYSTEMS) + "---|",
    ]
    for i, query in enumerate(queries):
        ours = outcomes["paperbot"][i]
        shown = "; ".join(_md(t[:60]) for t in ours.titles[:3])
        lines.append(
            f"| {query.kind} | {_md(query.text)} | {len(query.relevant)} | "
            + " | ".join(_cell(outcomes[s][i]) for s in SYSTEMS)
            + f" | {ours.extra}{': ' + shown if shown else ''} |"
        )
    return "\n".join(lines)


def paperbot_revision() -> str:
    root = corpus.BENCH.parent
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", "bot"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}{' + uncommitted bot/ changes' if dirty else ''}"


async def evaluate(args: argparse.Namespace) -> dict[str, Any]:
    snapshot, queries = load_queries(args.queries)
    archive = corpus.prepare(args.repo, args.out)
    store, ingest = await corpus.open_store(archive, args.out, rebuild=args.rebuild)
    try:
        index = await pb.note_index(store)
        notes = [read_note(name, Path(path)) for name, path in sorted(index.paths.items())]
        baselines = {"unicode61": Unicode61(notes), "bigram": Bigram(notes)}
        outcomes: dict[str, list[Outcome]] = {s: [] for s in SYSTEMS}
        for query in queries:
            found = await pb.search(store, query.text, DEPTH)
            ours = Outcome(
                [h.notes for h in found.hits],
                titles=[h.title for h in found.hits],
                extra=f"{found.strategy}, {found.total}",
            )
            outcomes["paperbot"].append(judge(ours, query.relevant))
            for name, baseline in baselines.items():
                picked = baseline.search(query.text, DEPTH)
                theirs = Outcome([frozenset([n]) for n in picked], titles=picked)
                outcomes[name].append(judge(theirs, query.relevant))
    finally:
        await store.close()
    missing = sorted({n for q in queries for n in q.relevant} - set(index.paths))
    return {
        "when": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "archive": corpus.describe(archive, ingest),
        "archive_commit": archive.commit,
        "snapshot": snapshot,
        "paperbot": paperbot_revision(),
        "code": corpus.code_fingerprint(),
        "config": str(pb.configuration_file() or "none"),
        "missing": missing,
        "queries": queries,
        "outcomes": outcomes,
    }


def report(run: dict[str, Any], *, verbose: bool) -> str:
    queries, outcomes = run["queries"], run["outcomes"]
    lines = [
        f"Real-archive search evaluation, {run['when']}",
        f"- {run['archive']}",
        f"- paperbot {run['paperbot']} (bot/ hash {run['code']}), config file: {run['config']}",
        f"- {len(queries)} queries from {QUERIES.name}, top {DEPTH} results per system",
    ]
    if run["snapshot"] and run["snapshot"] != run["archive_commit"]:
        lines.append(
            f"- WARNING: queries were judged at {run['snapshot'][:12]}; notes added since are"
            " unjudged and count as not relevant"
        )
    if run["missing"]:
        lines.append(f"- WARNING: relevant notes not stored: {', '.join(run['missing'])}")
    lines += ["", summary_table(queries, outcomes)]
    if verbose:
        lines += ["", detail_table(queries, outcomes)]
    return "\n".join(lines)


def to_json(run: dict[str, Any]) -> dict[str, Any]:
    per_query = []
    for i, query in enumerate(run["queries"]):
        row: dict[str, Any] = {"kind": query.kind, "query": query.text, "relevant": query.paths}
        for system in SYSTEMS:
            outcome = run["outcomes"][system][i]
            row[system] = {
                "rank": outcome.rank,
                "recall": round(outcome.recall, 4),
                "empty": outcome.empty,
                "results": [sorted(notes) for notes in outcome.results],
            }
        row["paperbot"]["strategy_total"] = run["outcomes"]["paperbot"][i].extra
        per_query.append(row)
    summary = {
        system: dict(
            zip(("mrr@10", "r@10", "empty"), summarise(run["outcomes"][system]), strict=True)
        )
        for system in SYSTEMS
    }
    keep = ("when", "archive", "archive_commit", "snapshot", "paperbot", "code", "config")
    return {**{k: run[k] for k in keep}, "summary": summary, "queries": per_query}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, help="a work tree or git directory of ml-papers")
    parser.add_argument("--out", type=Path, default=corpus.OUT, help="clones, store, results")
    parser.add_argument("--rebuild", action="store_true", help="ingest into a new store")
    parser.add_argument("--queries", type=Path, default=QUERIES, help="the judged queries")
    parser.add_argument("--verbose", action="store_true", help="each query's ranks")
    args = parser.parse_args(argv)
    run = asyncio.run(evaluate(args))
    print(report(run, verbose=args.verbose))
    out = args.out / RESULTS
    out.write_text(json.dumps(to_json(run), ensure_ascii=False, indent=1) + "\n")
    print(f"\n(written to {out})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
