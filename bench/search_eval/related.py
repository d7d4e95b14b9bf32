"""Related papers on the real archive: /paper related against a bm25-on-title baseline.

    python -m bench.search_eval.related [--repo PATH] [--out DIR] [--rebuild] [--verbose]
    python -m bench.search_eval.related --pool      # candidates to judge, with their status

For every seed note of ``related.toml``, the five papers each system picks:

- **paperbot**: ``Store.related(paper, 5)``, what ``/paper related`` shows;
- **title-bm25**: the other stored papers ranked by bm25 of their titles against the seed's
  title words (OR), SQLite FTS5 ``unicode61`` (``baselines.TitleIndex``).

A pick is a paper, standing for the notes that mention it (see ``run.py``). It is relevant if
one of its notes is among the seed's judged ``relevant`` notes, not relevant if one is among
``not_relevant`` (and none is relevant), and UNJUDGED otherwise. precision@5 = relevant picks
/ 5 (a system returning fewer than five is not given the missing ones). Unjudged picks count
as not relevant and are listed apart: after the related-papers code changes, judge the new
picks by reading them and append them to the seed's lists (``--pool`` shows them with the
tag-sharing candidates too).

The judged pools were built from paperbot's picks at the time, the title baseline's, and the
papers sharing most (idf-weighted) tags with the seed.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.search_eval import _paperbot as pb
from bench.search_eval import corpus
from bench.search_eval.baselines import TitleIndex
from bench.search_eval.run import paperbot_revision

JUDGED = Path(__file__).with_name("related.toml")
SYSTEMS = ("paperbot", "title-bm25")
K = pb.RELATED_LIMIT


@dataclass(frozen=True)
class Seed:
    note: str  # repository path
    kind: str
    relevant: frozenset[str]  # note names
    not_relevant: frozenset[str]

    @property
    def name(self) -> str:
        return pb.note_name(self.note)


@dataclass(frozen=True)
class Pick:
    paper_id: int
    title: str
    notes: frozenset[str]
    verdict: str  # "relevant", "not relevant", "unjudged"


def load_seeds(path: Path = JUDGED) -> tuple[str, list[Seed]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    seeds = [
        Seed(
            note=s["note"],
            kind=s["kind"],
            relevant=frozenset(pb.note_name(p) for p in s.get("relevant", [])),
            not_relevant=frozenset(pb.note_name(p) for p in s.get("not_relevant", [])),
        )
        for s in data["seed"]
    ]
    return data.get("snapshot", ""), seeds


def verdict(seed: Seed, notes: frozenset[str]) -> str:
    if notes & seed.relevant:
        return "relevant"
    if notes & seed.not_relevant:
        return "not relevant"
    return "unjudged"


def tag_neighbours(index: pb.NoteIndex, paper_id: int, limit: int) -> list[int]:
    """The papers sharing most tags with ``paper_id``, each shared tag weighted by its idf."""
    counts = Counter(tag for tags in index.tags.values() for tag in set(tags))
    size = len(index.tags)
    mine = set(index.tags.get(paper_id, ()))
    scores = {
        other: sum(math.log(size / counts[t]) for t in mine & set(tags))
        for other, tags in index.tags.items()
        if other != paper_id and mine & set(tags)
    }
    return sorted(scores, key=lambda p: (-scores[p], -p))[:limit]


async def evaluate(args: argparse.Namespace) -> dict[str, Any]:
    snapshot, seeds = load_seeds(args.judged)
    archive = corpus.prepare(args.repo, args.out)
    store, ingest = await corpus.open_store(archive, args.out, rebuild=args.rebuild)
    try:
        index = await pb.note_index(store)
        titles = TitleIndex(index.titles)
        rows: list[dict[str, Any]] = []
        for seed in seeds:
            papers = sorted(index.papers_of.get(seed.name, ()))
            if not papers:
                rows.append({"seed": seed, "missing": True})
                continue
            paper_id = papers[0]
            picked = {
                "paperbot": await pb.related(store, paper_id),
                "title-bm25": titles.related(paper_id, K),
            }
            if args.pool:
                picked["tags"] = tag_neighbours(index, paper_id, K)
            rows.append(
                {
                    "seed": seed,
                    "title": index.titles[paper_id],
                    "picks": {
                        system: [_pick(index, seed, pid) for pid in ids]
                        for system, ids in picked.items()
                    },
                }
            )
    finally:
        await store.close()
    return {
        "archive": archive,
        "ingest": ingest,
        "snapshot": snapshot,
        "rows": rows,
        "relative": {name: archive.relative(path) for name, path in index.paths.items()},
    }


def _pick(index: pb.NoteIndex, seed: Seed, paper_id: int) -> Pick:
    notes = frozenset(index.notes_of.get(paper_id, ()))
    return Pick(paper_id, index.titles.get(paper_id, ""), notes, verdict(seed, notes))


def precision(picks: Sequence[Pick]) -> float:
    return sum(p.verdict == "relevant" for p in picks) / K


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def report(run: dict[str, Any], *, verbose: bool) -> str:
    rows = [r for r in run["rows"] if not r.get("missing")]
    lines = [
        "Real-archive related papers",
        f"- {corpus.describe(run['archive'], run['ingest'])}",
        f"- paperbot {paperbot_revision()}, {len(rows)} seeds from {JUDGED.name}, {K} picks each",
    ]
    if run["snapshot"] and run["snapshot"] != run["archive"].commit:
        lines.append(f"- WARNING: judged at {run['snapshot'][:12]}; newer notes are unjudged")
    for missing in (r for r in run["rows"] if r.get("missing")):
        lines.append(f"- WARNING: seed not stored: {missing['seed'].note}")
    kinds = sorted({r["seed"].kind for r in rows})
    lines += [
        "",
        "| seeds | n | " + " | ".join(f"{s} P@5 | {s} unjudged" for s in SYSTEMS) + " |",
        "|---|---:|" + "---:|---:|" * len(SYSTEMS),
    ]
    for label in [*kinds, "**overall**"]:
        group = [r for r in rows if label == "**overall**" or r["seed"].kind == label]
        cells = []
        for system in SYSTEMS:
            p = sum(precision(r["picks"][system]) for r in group) / (len(group) or 1)
            unjudged = sum(pk.verdict == "unjudged" for r in group for pk in r["picks"][system])
            cells.append(f" {p:.3f} | {unjudged} |")
        lines.append(f"| {label} | {len(group)} |" + "".join(cells))
    if verbose:
        lines += ["", "| seed | " + " | ".join(SYSTEMS) + " |", "|---|" + "---|" * len(SYSTEMS)]
        for r in rows:
            cells = [
                " ".join({"relevant": "✓", "not relevant": "✗"}.get(p.verdict, "?") for p in picks)
                for picks in (r["picks"][s] for s in SYSTEMS)
            ]
            lines.append(f"| {_md(r['seed'].note)} | " + " | ".join(cells) + " |")
    unjudged = [
        (r["seed"].note, system, p)
        for r in rows
        for system in r["picks"]
        for p in r["picks"][system]
        if p.verdict == "unjudged"
    ]
    if unjudged:
        lines += ["", f"UNJUDGED picks ({len(unjudged)}): judge them and add to related.toml"]
        for note, system, p in unjudged:
            paths = ", ".join(sorted(run["relative"].get(n, n) for n in p.notes))
            lines.append(f"- {note} <- {system}: {paths}")
    return "\n".join(lines)


def pool(run: dict[str, Any]) -> str:
    """Every candidate of every seed, with its source and verdict, for judging."""
    lines = []
    for r in run["rows"]:
        if r.get("missing"):
            continue
        lines.append(f"## {r['seed'].note}  ({r['title']})")
        seen: dict[int, tuple[Pick, list[str]]] = {}
        for system, picks in r["picks"].items():
            for p in picks:
                seen.setdefault(p.paper_id, (p, []))[1].append(system)
        for p, systems in seen.values():
            paths = " + ".join(sorted(run["relative"].get(n, n) for n in p.notes))
            lines.append(f"- [{p.verdict}] {paths}  <{','.join(systems)}>  {p.title}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, help="a work tree or git directory of ml-papers")
    parser.add_argument("--out", type=Path, default=corpus.OUT, help="clones and the store")
    parser.add_argument("--rebuild", action="store_true", help="ingest into a new store")
    parser.add_argument("--judged", type=Path, default=JUDGED, help="the judged seeds")
    parser.add_argument("--verbose", action="store_true", help="each seed's verdicts")
    parser.add_argument("--pool", action="store_true", help="list every candidate to judge")
    args = parser.parse_args(argv)
    run = asyncio.run(evaluate(args))
    print(pool(run) if args.pool else report(run, verbose=args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
