"""A deterministic synthetic digest corpus, written as digest files in the real formats.

    python -m bench.generate --papers 100000 --out bench/out/corpus

What it writes under ``--out``:

- ``daily-YYYY-MM-DD.txt``: one file per day, ~20 entries each (English title, ``(authors)``,
  an optional arXiv URL line, an English abstract of 150-250 words, 2-4 sentences of Korean
  commentary, a ``#tags`` line), like ``bot/sample_digests/daily-*.txt``;
- ``weekly-YYYY-MM-DD.txt``: one file per week, ~10 bilingual entries each
  (``한국어 제목 / English Title``, 논문 소개 and 논문 초록(Abstract) in Korean and English,
  논문 링크 with the arXiv URL), like ``bot/sample_digests/weekly-*.txt``; about a third of a
  week's entries are papers that the same week's daily files also carry (one paper, two mentions);
- ``notes/YYMMDD Title.md``: per-paper notes, like ``bot/sample_digests/notes``;
- ``ground_truth.json``: the relevance queries and, for each, the planted "needle" papers that
  are relevant to it;
- ``latency_queries.json``: a seeded mix of queries drawn from the corpus vocabulary;
- ``manifest.json``: what was generated (written last: its presence means a complete corpus).

The text is built from the real samples: Korean and English sentences are recombined by a
word-level Markov chain trained on them (so Korean words keep their real particles, 환각을,
추론의), mixed with templated sentences over ML term lists whose Korean particles follow the
final consonant (모델을, 데이터를, 추론으로, 디코더로). The same seed and paper count always
give byte-identical files.

Needles: a few dozen papers carry distinctive planted content (탈옥을/탈옥이 with or without
환각이, 워터마크를, 아첨이, 망각을, jailbreaking/jailbreaks, watermarks, sycophancy, an author
named Benoît Quéméneur, a title with a plural). Those rare words are kept out of every other
paper, so the relevant set of each ground-truth query is known exactly: it is computed from the
needles' text by the patterns listed with the query.

The stages, one module each: ``corpus_words`` (parameters, vocabularies, Korean particles),
``corpus_text`` (the Markov chain, the papers' wording, latency queries), ``corpus_needles``
(needles, ground truth, the plan) and ``corpus_writer`` (the files); this is the command line.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.corpus_words import DEFAULT_PAPERS, DEFAULT_SEED, FORMAT_VERSION
from bench.corpus_writer import CorpusWriter

__all__ = ["DEFAULT_PAPERS", "DEFAULT_SEED", "FORMAT_VERSION", "generate", "main", "read_manifest"]


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def read_manifest(out: Path) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data


def generate(
    papers: int,
    out: Path,
    seed: int = DEFAULT_SEED,
    *,
    log: Callable[[str], None] = print,
    topics: int = 0,
) -> dict[str, Any]:
    """Write a fresh corpus into ``out`` (emptied of earlier digest files first)."""
    if out.exists():
        for pattern in ("daily-*.txt", "weekly-*.txt", "notes/*.md", "*.json"):
            for old in out.glob(pattern):
                old.unlink()
    started = time.monotonic()
    manifest = CorpusWriter(out, papers, seed, log=log, topics=topics).run()
    manifest["seconds"] = round(time.monotonic() - started, 1)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate", description="Write a synthetic digest corpus."
    )
    parser.add_argument("--papers", type=int, default=DEFAULT_PAPERS)
    parser.add_argument("--out", type=Path, default=Path("bench/out/corpus"))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--topics",
        type=int,
        default=0,
        help="draw each paper's topic from a pool of this many (writes topics.json); 0: none",
    )
    args = parser.parse_args(argv)
    manifest = generate(
        args.papers,
        args.out,
        args.seed,
        log=lambda m: print(m, file=sys.stderr),
        topics=args.topics,
    )
    print(json.dumps(manifest, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
