"""The Hangul → English phonetic bridge (``bot.search.phonetic``) measured on a real corpus.

    python -m bench.search_eval.phonetic [--repo PATH] [--scale 100000]

``--repo``: the notes repository ``rosinality/ml-papers`` (MIT), a work tree (with ``papers/``)
or a bare git directory. Its notes (English title and authors, Korean commentary) give

1. the **vocabulary**: every note's text tokenised into lowercase Latin words (accents folded;
   hyphenated words also joined, as the search index does), with document frequencies; the
   bridge is built from it;
2. the **pairs**: ``loanword_pairs.tsv`` beside this file, Hangul loanwords found in the
   commentary and the English term each stands for, checked by reading the note.

For every pair the bridge proposes up to 3 terms. A proposal is right when it is the English
term or a form of it (same Snowball stem: ``images`` for ``image``). Reported: recall@1 and
recall@3 over all pairs, precision@1 over the pairs that got a proposal, each without a
threshold and at a sweep of score thresholds; native Korean words (no loanwords) and what they
still propose above each threshold; lookup time per query, on the corpus vocabulary and on it
padded with generated words to ``--scale`` terms. Two vocabularies: all the text, and the text
without the author lists after the titles (names are most of the wrong proposals; the search
side can build the bridge from titles, summaries and commentary only).

Results (2026-12-06, shared 2-core machine, ``MIN_SCORE`` 0.68):

| vocabulary | terms | recall@1 | recall@3 | precision@1 | natives proposing |
|---|---|---|---|---|---|
| all text, no threshold | 11,381 | 0.913 | 0.983 | 0.921 | 86/119 |
| all text, score ≥ 0.68 | | 0.857 | 0.883 | 0.943 | 16/119 |
| without author lists, no threshold | 6,223 | 0.939 | 0.991 | 0.948 | 65/119 |
| without author lists, score ≥ 0.68 | | 0.866 | 0.887 | 0.957 | 5/119 |

Lookup CPU time: mean 43 µs (p99 182 µs) on the 11k corpus terms; mean 83 µs (p99 435 µs)
on 100k terms, built in about 3-7 s. At 0.67 recall@3 is 0.92 but 22/119 natives propose.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import snowballstemmer

from bot.search.phonetic import MIN_SCORE, Candidate, PhoneticBridge

PAIRS = Path(__file__).with_name("loanword_pairs.tsv")
DEFAULT_REPO = Path("/work/.mirror/rosinality+ml-papers/repo")
THRESHOLDS = (0.0, 0.5, 0.6, 0.65, 0.66, 0.67, 0.68, 0.69, 0.7, 0.75)
# Native and Sino-Korean words of ML commentary (and one loanword with a particle): none is
# an English word written in Hangul, so anything proposed for them is noise.
NATIVE = (
    "학습", "생성", "방법", "데이터는", "성능", "결과", "문제", "논문", "연구", "추론",
    "환각", "정렬", "평가", "실험", "분석", "구조", "제안", "개선", "효과", "언어",
    "최적화", "강화학습", "분류", "검색", "요약", "번역", "압축", "증류", "탈옥", "지식",
    "확률", "분포", "정보", "사람", "핵심", "입력", "출력", "접근", "추가", "속도",
    "기존", "결합", "특성", "효율", "적용", "단순", "강력", "크기", "차이", "과정",
    "작업", "영향", "형태", "방식", "기반", "사용", "과제", "실제", "정도", "신경망",
    "합성곱", "양자화", "가중치", "손실", "함수", "행렬", "추천", "대화", "질문", "답변",
    "추출", "예측", "인식", "음성", "영상", "자연어", "문장", "단어", "의미", "표현",
    "일반화", "편향", "안전", "보상", "정책", "탐색", "계획", "수학", "증명", "기억",
    "비지도", "전이", "대조", "확산", "잡음", "해상도", "객체", "탐지", "분할", "추적",
    "자세", "깊이", "재구성", "이미", "그리고", "하지만", "그래서", "새로운", "흥미로운",
    "가능성", "요즘", "최근", "중요한", "결국", "특히", "모두", "여러", "다른", "이런",
)  # fmt: skip
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
_STEMMER = snowballstemmer.stemmer("english")


@dataclass(frozen=True)
class Pair:
    hangul: str
    english: str
    source: str


def read_pairs(path: Path = PAIRS) -> list[Pair]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith(("#", "hangul\t")):
            continue
        hangul, english, source = line.split("\t")
        pairs.append(Pair(hangul, english, source))
    return pairs


def read_notes(repo: Path) -> list[str]:
    """The text of every markdown note under ``papers/``: from a work tree or a git directory."""
    if (repo / "papers").is_dir():
        return [
            p.read_text(encoding="utf-8", errors="replace") for p in repo.glob("papers/**/*.md")
        ]
    git = ["git", f"--git-dir={repo}"]
    names = subprocess.run(
        [*git, "ls-tree", "-r", "--name-only", "-z", "HEAD", "papers"],
        check=True, capture_output=True,
    ).stdout.decode().split("\0")  # fmt: skip
    wanted = "".join(f"HEAD:{name}\n" for name in names if name.endswith(".md"))
    out = subprocess.run(
        [*git, "cat-file", "--batch"], input=wanted.encode(), check=True, capture_output=True
    ).stdout
    texts, i = [], 0
    while i < len(out):
        header_end = out.index(b"\n", i)
        size = int(out[i:header_end].split()[2])
        texts.append(out[header_end + 1 : header_end + 1 + size].decode("utf-8", "replace"))
        i = header_end + 1 + size + 1
    return texts


def words(text: str) -> set[str]:
    folded = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    found: set[str] = set()
    for word in _WORD.findall(folded):
        parts = word.split("-")
        found.update(parts)
        if len(parts) > 1:
            found.add("".join(parts))
    return found


_AUTHORS = re.compile(r"\s\(([^()]*)\)\s*$")


def without_authors(note: str) -> str:
    """The note without the author list that follows its title: ``Title (A. Name, B. Name)``."""
    lines = note.split("\n")
    for i, line in enumerate(lines[:4]):
        found = _AUTHORS.search(line)
        if found and ("," in found.group(1) or len(found.group(1).split()) <= 4):
            lines[i] = line[: found.start()]
    return "\n".join(lines)


def vocabulary(notes: Iterable[str]) -> Counter[str]:
    frequencies: Counter[str] = Counter()
    for text in notes:
        frequencies.update(words(text))
    return frequencies


def same_term(proposed: str, english: str) -> bool:
    return proposed == english or _STEMMER.stemWord(proposed) == _STEMMER.stemWord(english)


def padded(frequencies: Counter[str], scale: int, seed: int = 17) -> Counter[str]:
    """The vocabulary plus generated pronounceable words (rare, like most index terms)."""
    rng = random.Random(seed)
    onsets = (
        "",
        *re.findall(r"\w+", "b br c ch cl d f g gr h j k l m n p pr qu r s sh st t th tr v w x z"),
    )
    vowels = ("a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "y")
    codas = ("", "", "n", "r", "s", "t", "l", "m", "ng", "ck", "x", "nd", "st")
    out = Counter(frequencies)
    while len(out) < scale:
        word = "".join(
            rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas)
            for _ in range(rng.randint(1, 4))
        )
        out.setdefault(word, rng.choice((1, 1, 1, 2, 3, 5, 10)))
    return out


def evaluate(
    bridge: PhoneticBridge, pairs: Sequence[Pair]
) -> dict[float, tuple[float, float, float, int]]:
    """threshold -> (recall@1, recall@3, precision@1, pairs with a proposal)."""
    proposals = {pair: bridge.candidates(pair.hangul, 3) for pair in pairs}
    results = {}
    for threshold in THRESHOLDS:
        hit1 = hit3 = proposed = 0
        for pair, candidates in proposals.items():
            kept = [c for c in candidates if c.score >= threshold]
            if not kept:
                continue
            proposed += 1
            hit1 += same_term(kept[0].term, pair.english)
            hit3 += any(same_term(c.term, pair.english) for c in kept)
        n = len(pairs)
        results[threshold] = (hit1 / n, hit3 / n, hit1 / proposed if proposed else 0.0, proposed)
    return results


def timing(bridge: PhoneticBridge, queries: Sequence[str], rounds: int = 5) -> tuple[float, float]:
    """Mean and 99th percentile of one lookup's CPU time, microseconds (CPU time, not wall
    time: the machine is shared, and waiting for a core is not the lookup's cost)."""
    samples = []
    for _ in range(rounds):
        for query in queries:
            start = time.thread_time()
            bridge.candidates(query, 3)
            samples.append((time.thread_time() - start) * 1e6)
    samples.sort()
    return statistics.fmean(samples), samples[int(len(samples) * 0.99)]


def report(bridge: PhoneticBridge, pairs: Sequence[Pair]) -> None:
    print("threshold  recall@1  recall@3  precision@1  proposed   natives proposing")
    for threshold, (r1, r3, p1, proposed) in evaluate(bridge, pairs).items():
        noisy = sum(
            1 for word in NATIVE if any(c.score >= threshold for c in bridge.candidates(word, 3))
        )
        mark = "  <- MIN_SCORE" if threshold == MIN_SCORE else ""
        print(
            f"{threshold:9.2f}  {r1:8.3f}  {r3:8.3f}  {p1:11.3f}  {proposed:4d}/{len(pairs)}"
            f"  {noisy:4d}/{len(NATIVE)}{mark}"
        )


def _show(candidates: list[Candidate]) -> str:
    return ", ".join(f"{c.term} {c.score:.2f}" for c in candidates) or "-"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=DEFAULT_REPO)
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument("--scale", type=int, default=100_000, help="terms for the timing run")
    parser.add_argument("--misses", action="store_true", help="list the pairs missed at top-3")
    args = parser.parse_args(argv)

    notes = read_notes(args.repo)
    pairs = read_pairs(args.pairs)
    print(f"corpus: {len(notes)} notes; {len(pairs)} pairs; {len(NATIVE)} native words")
    bridges: dict[str, tuple[PhoneticBridge, Counter[str]]] = {}
    for name, texts in (
        ("all text (titles, authors, commentary)", notes),
        ("without author lists", [without_authors(note) for note in notes]),
    ):
        frequencies = vocabulary(texts)
        start = time.perf_counter()
        bridge = PhoneticBridge(frequencies, documents=len(notes))
        built = time.perf_counter() - start
        bridges[name] = (bridge, frequencies)
        print(f"\n== vocabulary: {name}: {len(frequencies)} terms, bridge built in {built:.2f} s")
        report(bridge, pairs)
    bridge, frequencies = bridges["without author lists"]
    print(f"\nnative words proposing at {MIN_SCORE} (without author lists):")
    for word in NATIVE:
        kept = [c for c in bridge.candidates(word, 3) if c.score >= MIN_SCORE]
        if kept:
            print(f"  {word}: {_show(kept)}")
    if args.misses:
        for name, (bridge, _) in bridges.items():
            print(f"\npairs without the English term in the top 3 ({name}):")
            for pair in pairs:
                candidates = bridge.candidates(pair.hangul, 3)
                if not any(same_term(c.term, pair.english) for c in candidates):
                    print(f"  {pair.hangul} ({pair.english}): {_show(candidates)}")
            print(f"\nright top-1 below {MIN_SCORE} ({name}):")
            for pair in pairs:
                candidates = bridge.candidates(pair.hangul, 1)
                right = candidates and same_term(candidates[0].term, pair.english)
                if right and candidates[0].score < MIN_SCORE:
                    print(f"  {pair.hangul}: {_show(candidates)}")

    queries = [pair.hangul for pair in pairs] + list(NATIVE)
    bridge, frequencies = bridges["all text (titles, authors, commentary)"]
    mean, p99 = timing(bridge, queries)
    print(f"\nlookup, {len(frequencies)} terms: mean {mean:.0f} µs, p99 {p99:.0f} µs")
    big = padded(frequencies, args.scale)
    start = time.perf_counter()
    large = PhoneticBridge(big, documents=len(notes) * args.scale // max(len(frequencies), 1))
    built = time.perf_counter() - start
    mean, p99 = timing(large, queries)
    print(
        f"lookup, {len(big)} terms (padded): mean {mean:.0f} µs, p99 {p99:.0f} µs;"
        f" built in {built:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
