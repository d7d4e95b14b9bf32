"""Related papers and reading-list picks on a synthetic corpus with planted topics.

    python -m bench.related --papers 100000 [--out bench/out] [--samples 300] [--users 300]

1. **Corpus**: ``bench.generate`` with a pool of ``papers // 20`` planted topics (each paper's
   sentences keep returning to its topic's two methods, two tasks, two datasets, model and
   four Korean terms; about 20 papers per topic), in ``<out>/related-<N>/corpus``; reused when
   its manifest matches.
2. **Store**: ``paperbot ingest`` into ``<out>/related-<N>/paperbot.db`` (reused when present),
   then ``Store.optimize()``.
3. **Related papers**: for ``--samples`` seeded papers, ``Store.related(id, 5)`` (wall and CPU
   time per call, after one untimed warm-up pass) and the tags-only baseline
   (``related.tags_only_related``: idf-weighted shared tags, newest first on ties).
   precision@5 = papers of the same planted topic among the five / 5.
4. **Picks**: ``--users`` synthetic users, each saving 6 papers of one or two planted topics;
   an "issue" of 20 new papers, 3 of them from the user's topics; precision@3 of
   ``picks.picks`` (the profile the store keeps for the user, matched as the ingest does)
   against a random ranking and a tags-only ranking (idf of the tags shared with the saved
   papers).

Results are printed and written to ``<out>/related-<N>/results.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.generate import DEFAULT_SEED, FORMAT_VERSION, read_manifest
from bot.search import related as rel_terms
from bot.store import Store
from bot.store.papers import picks as pk
from bot.store.papers import related as rel

TOPIC_SIZE = 20  # papers per planted topic, on average
ISSUE_SIZE = 20
ISSUE_RELEVANT = 3
SAVED = 6


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))]


def ensure_corpus(folder: Path, papers: int, seed: int) -> None:
    manifest = read_manifest(folder)
    wanted = {"papers": papers, "seed": seed, "format_version": FORMAT_VERSION}
    if (
        manifest
        and all(manifest.get(k) == v for k, v in wanted.items())
        and manifest.get("topics") == max(1, papers // TOPIC_SIZE)
    ):
        return
    print(f"generating {papers:,} papers with planted topics in {folder}", file=sys.stderr)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.generate",
            "--papers",
            str(papers),
            "--seed",
            str(seed),
            "--topics",
            str(max(1, papers // TOPIC_SIZE)),
            "--out",
            str(folder),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def ensure_store(corpus: Path, db: Path) -> float | None:
    if db.exists():
        return None
    started = time.monotonic()
    subprocess.run(
        [str(Path(sys.executable).parent / "paperbot"), "ingest", str(corpus), "--db", str(db)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.monotonic() - started


async def topics_of(store: Store, corpus: Path) -> dict[int, int]:
    by_title: dict[str, int] = json.loads((corpus / "topics.json").read_text(encoding="utf-8"))
    # a paper merged from one mention keeps its title in the mention only (papers.title_en
    # is NULL there since issue 9's size work): read both
    rows = await store.db.fetch(
        "SELECT p.id, coalesce(p.title_en, (SELECT m.title_en FROM mentions AS m"
        " WHERE m.paper_id = p.id AND m.title_en IS NOT NULL LIMIT 1)) AS title FROM papers AS p"
    )
    return {
        int(row[0]): by_title[str(row[1])] for row in rows if by_title.get(str(row[1]), -1) >= 0
    }


def precision(found: Sequence[int], relevant: set[int], k: int) -> float:
    return sum(1 for pid in found[:k] if pid in relevant) / k


async def bench_related(
    store: Store, topic: dict[int, int], samples: int, rng: random.Random
) -> dict[str, Any]:
    members: dict[int, set[int]] = defaultdict(set)
    for pid, t in topic.items():
        members[t].add(pid)
    eligible = sorted(pid for pid, t in topic.items() if len(members[t]) >= 6)
    chosen = rng.sample(eligible, min(samples, len(eligible)))
    cold: list[float] = []
    for pid in rng.sample(eligible, min(100, len(eligible))):  # warm-up: df cache, pages
        w0 = time.perf_counter()
        await store.related(pid)
        cold.append((time.perf_counter() - w0) * 1000)
    walls: list[float] = []
    cpus: list[float] = []
    ours: list[float] = []
    baseline: list[float] = []
    base_walls: list[float] = []
    examples: list[dict[str, Any]] = []
    for pid in chosen:
        relevant = members[topic[pid]] - {pid}
        w0, c0 = time.perf_counter(), time.process_time()
        hits = await store.related(pid, 5)
        walls.append((time.perf_counter() - w0) * 1000)
        cpus.append((time.process_time() - c0) * 1000)
        ours.append(precision([h.paper_id for h in hits], relevant, 5))
        w0 = time.perf_counter()
        base = await rel.tags_only_related(store.db.reader, pid, 5)
        base_walls.append((time.perf_counter() - w0) * 1000)
        baseline.append(precision([h.paper_id for h in base], relevant, 5))
        if len(examples) < 3:
            paper = await store.get_paper(pid)
            examples.append(
                {
                    "paper": paper.title if paper else pid,
                    "related": [
                        {"same_topic": h.paper_id in relevant, "reasons": list(h.reasons)}
                        for h in hits
                    ],
                }
            )
    return {
        "samples": len(chosen),
        "precision_at_5": round(sum(ours) / len(ours), 3),
        "precision_at_5_tags_only": round(sum(baseline) / len(baseline), 3),
        "latency_ms": {
            "p50": round(_percentile(walls, 50), 2),
            "p99": round(_percentile(walls, 99), 2),
            "max": round(max(walls), 2),
            "cpu_p50": round(_percentile(cpus, 50), 2),
            "cpu_p99": round(_percentile(cpus, 99), 2),
        },
        "cold_latency_ms": {  # the first 100 calls of a fresh process (warm-up)
            "p50": round(_percentile(cold, 50), 2),
            "p99": round(_percentile(cold, 99), 2),
        },
        "tags_only_latency_ms": {
            "p50": round(_percentile(base_walls, 50), 2),
            "p99": round(_percentile(base_walls, 99), 2),
        },
        "examples": examples,
    }


async def bench_picks(
    store: Store, topic: dict[int, int], users: int, rng: random.Random
) -> dict[str, Any]:
    members: dict[int, list[int]] = defaultdict(list)
    for pid, t in sorted(topic.items()):
        members[t].append(pid)
    big = [t for t, ids in members.items() if len(ids) >= SAVED + ISSUE_RELEVANT + 2]
    everyone = sorted(topic)
    tag_count = dict(await store.tag_counts())
    db = store.db.reader
    size = max(everyone)
    ours: list[float] = []
    shuffled: list[float] = []
    tags_only: list[float] = []
    profile_ms: list[float] = []
    match_ms: list[float] = []
    for user in range(users):
        mine = rng.sample(big, 1 if user % 2 == 0 else 2)
        pool = [pid for t in mine for pid in members[t]]
        rng.shuffle(pool)
        saved, fresh = pool[:SAVED], pool[SAVED : SAVED + ISSUE_RELEVANT]
        relevant = set(fresh)
        others: list[int] = []
        while len(others) < ISSUE_SIZE - ISSUE_RELEVANT:
            pid = rng.choice(everyone)
            if topic[pid] not in mine and pid not in others:
                others.append(pid)
        issue = [*fresh, *others]
        rng.shuffle(issue)

        t0 = time.perf_counter()
        profile = await pk.build_profile(db, saved)
        profile_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        new = await pk.candidates(db, issue)
        picked = pk.picks(profile, new, limit=3)
        match_ms.append((time.perf_counter() - t0) * 1000)
        ours.append(precision([p.paper_id for p in picked], relevant, 3))

        random_order = issue[:]
        rng.shuffle(random_order)
        shuffled.append(precision(random_order, relevant, 3))

        saved_tags: set[str] = set()
        for paper in await store.get_papers(saved):
            saved_tags.update(paper.tags)
        scores = {
            pid: sum(
                rel_terms.idf(size, tag_count.get(tag, 0))
                for tag in new.tags.get(pid, frozenset())
                if tag in saved_tags
            )
            for pid in issue
        }
        order = sorted(issue, key=lambda pid: (-scores[pid], rng.random()))
        tags_only.append(precision(order, relevant, 3))
    return {
        "users": users,
        "saved_per_user": SAVED,
        "issue_size": ISSUE_SIZE,
        "relevant_in_issue": ISSUE_RELEVANT,
        "precision_at_3": round(sum(ours) / len(ours), 3),
        "precision_at_3_random": round(sum(shuffled) / len(shuffled), 3),
        "precision_at_3_tags_only": round(sum(tags_only) / len(tags_only), 3),
        "profile_build_ms_p50": round(_percentile(profile_ms, 50), 2),
        "issue_match_ms_p50": round(_percentile(match_ms, 50), 2),
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    folder = args.out / f"related-{args.papers}"
    corpus = folder / "corpus"
    ensure_corpus(corpus, args.papers, args.seed)
    db_path = folder / "paperbot.db"
    ingest_seconds = ensure_store(corpus, db_path)
    async with await Store.open(db_path) as store:
        if ingest_seconds is not None:
            await store.optimize()
        topic = await topics_of(store, corpus)
        stats = await store.stats()
        rng = random.Random(args.seed)
        related = await bench_related(store, topic, args.samples, rng)
        picks = await bench_picks(store, topic, args.users, random.Random(args.seed + 1))
    results = {
        "papers": stats.papers,
        "papers_with_a_topic": len(topic),
        "topics": len(set(topic.values())),
        "ingest_seconds": None if ingest_seconds is None else round(ingest_seconds, 1),
        "related": related,
        "picks": picks,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    (folder / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.related", description=__doc__)
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--users", type=int, default=300)
    args = parser.parse_args(argv)
    results = asyncio.run(run(args))
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
