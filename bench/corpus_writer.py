"""Writing the corpus: daily, weekly and note files in the real formats, following the plan."""

from __future__ import annotations

import json
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.corpus_needles import NEEDLES, NeedleRecord, NeedleSpec, ground_truth, make_plan, monday
from bench.corpus_text import (
    GenPaper,
    SampleText,
    TextGen,
    ascii_fold,
    latency_queries,
    normalise_title,
)
from bench.corpus_words import (
    COMMENTARY_REFERENCE_SHARE,
    DAILY_ARXIV_SHARE,
    FORMAT_VERSION,
    LAST_DAY,
    NEEDLE_AVOID_RE,
    RESERVED_RE,
    WEEKLY_FOOTER,
)

# --------------------------------------------------------------------------------------------
# Writing the corpus
# --------------------------------------------------------------------------------------------


@dataclass
class Stats:
    papers: int = 0
    mentions: int = 0
    files: Counter[str] = field(default_factory=Counter)
    bytes: int = 0


class CorpusWriter:
    def __init__(
        self,
        out: Path,
        papers: int,
        seed: int,
        *,
        log: Callable[[str], None],
        topics: int = 0,
    ) -> None:
        self.out = out
        self.papers = papers
        self.seed = seed
        self.log = log
        self.rng = random.Random(seed)
        self.samples = SampleText.load()
        self.topics = topics
        self.gen = TextGen(self.rng, self.samples, topics)
        self.paper_topics: dict[str, int] = {}  # title -> topic (with a topic pool)
        self.plan = make_plan(papers, self.rng)
        self.stats = Stats()
        self.titles: set[str] = {normalise_title(n.title_en) for n in NEEDLES}
        self.arxiv_counters: dict[str, int] = {}
        self.recent_ids: list[str] = []
        self.needles: list[NeedleRecord] = []

    # -- identities ----------------------------------------------------------------------

    def new_arxiv_id(self, day: date) -> str:
        month = f"{day.year % 100:02d}{day.month:02d}"
        number = self.arxiv_counters.get(month, self.rng.randint(100, 900)) + self.rng.randint(1, 7)
        self.arxiv_counters[month] = number
        arxiv_id = f"{month}.{number:05d}"
        self.recent_ids.append(arxiv_id)
        if len(self.recent_ids) > 200:
            del self.recent_ids[:100]
        return arxiv_id

    def unique_title(self) -> tuple[str, str]:
        while True:
            title, acr = self.gen.title_en()
            key = normalise_title(title)
            if key not in self.titles and not RESERVED_RE.search(title):
                self.titles.add(key)
                return title, acr

    # -- papers --------------------------------------------------------------------------

    def daily_paper(self, day: date, *, avoid: re.Pattern[str] | None = None) -> GenPaper:
        gen, rng = self.gen, self.rng
        while True:
            gen.begin_paper()
            title, acr = self.unique_title()
            paper = GenPaper(title_en=title)
            roll = rng.random()
            if roll < 0.02:  # like "Qwen 1.5": a link, no authors, no abstract
                paper.url = f"https://github.com/{ascii_fold(acr)}/{ascii_fold(acr)}"
            else:
                paper.authors = gen.authors()
                if rng.random() < DAILY_ARXIV_SHARE:
                    paper.arxiv_id = self.new_arxiv_id(day)
                if rng.random() < 0.95:
                    paper.abstract_en = gen.abstract_en(acr)
            reference = None
            if self.recent_ids and rng.random() < COMMENTARY_REFERENCE_SHARE:
                reference = rng.choice(self.recent_ids)
            paper.commentary = gen.commentary(reference)
            if rng.random() < 0.97:
                paper.tags = gen.tag_list()
            text = paper.searchable_text()
            if RESERVED_RE.search(text) or (avoid is not None and avoid.search(text)):
                self.titles.discard(normalise_title(title))
                continue
            self.paper_topics[title] = gen.topic_index
            return paper

    def weekly_paper(self, day: date, base: GenPaper | None = None) -> GenPaper:
        gen, rng = self.gen, self.rng
        while True:
            gen.begin_paper(self.paper_topics.get(base.title_en) if base is not None else None)
            if base is not None:
                title, acr = base.title_en, base.title_en.split(":")[0].split(" ")[0]
                paper = GenPaper(
                    title_en=title, arxiv_id=base.arxiv_id, abstract_en=base.abstract_en
                )
            else:
                title, acr = self.unique_title()
                paper = GenPaper(title_en=title)
                if rng.random() < 0.05:  # like "GPT-4o": no Korean title, a blog link
                    paper.url = f"https://{ascii_fold(acr)}.github.io/"
                else:
                    paper.arxiv_id = self.new_arxiv_id(day)
                    paper.abstract_en = gen.abstract_en(acr)
            if paper.arxiv_id is not None:
                paper.title_ko = gen.title_ko(title)
                paper.abstract_ko = gen.korean_paragraph(rng.randint(5, 8))
            paper.summary_ko = gen.summary_ko()
            paper.summary_en = gen.summary_en(acr)
            if RESERVED_RE.search(paper.searchable_text()):
                if base is None:
                    self.titles.discard(normalise_title(title))
                continue
            self.paper_topics.setdefault(title, gen.topic_index)
            return paper

    def note_paper(self, day: date, *, avoid: re.Pattern[str] | None = None) -> GenPaper:
        gen, rng = self.gen, self.rng
        while True:
            gen.begin_paper()
            title, acr = self.unique_title()
            paper = GenPaper(title_en=title, authors=gen.authors())
            if rng.random() < 0.9:
                paper.arxiv_id = self.new_arxiv_id(day)
            else:
                slug = ascii_fold(acr)
                paper.url = f"https://github.com/{slug}-lab/{slug}-{day:%y%m%d}"
            paper.commentary = gen.commentary()
            paper.tags = gen.tag_list()
            text = paper.searchable_text()
            if RESERVED_RE.search(text) or (avoid is not None and avoid.search(text)):
                self.titles.discard(normalise_title(title))
                continue
            self.paper_topics[title] = gen.topic_index
            return paper

    def needle_paper(self, spec: NeedleSpec, day: date) -> GenPaper:
        """Filler from the usual generator (without the words the queries combine), then
        the planted sentences, authors and tags."""
        gen, rng = self.gen, self.rng
        avoid = NEEDLE_AVOID_RE
        if spec.kind == "note":
            paper = self.note_paper(day, avoid=avoid)
        elif spec.kind == "daily":
            paper = self.daily_paper(day, avoid=avoid)
            while not paper.authors:
                paper = self.daily_paper(day, avoid=avoid)
            if paper.abstract_en is None:
                paper.abstract_en = self._clean(lambda: gen.abstract_en(gen.acronym()))
        else:
            paper = GenPaper(title_en="")
            paper.abstract_en = self._clean(lambda: gen.abstract_en(gen.acronym()))
            paper.abstract_ko = self._clean(lambda: gen.korean_paragraph(rng.randint(5, 8)))
            paper.summary_ko = self._clean(gen.summary_ko)
            paper.summary_en = self._clean(lambda: gen.summary_en(gen.acronym()))
        self.titles.discard(normalise_title(paper.title_en))
        self.paper_topics[spec.title_en] = self.paper_topics.pop(paper.title_en, gen.topic_index)
        paper.title_en = spec.title_en
        paper.title_ko = spec.title_ko
        if paper.arxiv_id is None:
            paper.arxiv_id = self.new_arxiv_id(day)
            paper.url = None
        if spec.kind != "weekly":
            others = [a for a in paper.authors if a not in spec.authors]
            for author in spec.authors:
                others.insert(rng.randrange(len(others) + 1), author)
            paper.authors = others
            paper.tags = list(spec.tags)
        if spec.kind == "weekly":
            paper.summary_ko = _plant(paper.summary_ko, spec.ko[:1], rng)
            paper.abstract_ko = _plant(paper.abstract_ko, spec.ko, rng)
            paper.summary_en = _plant(paper.summary_en, spec.en, rng)
            paper.abstract_en = _plant(paper.abstract_en, spec.en, rng)
        else:
            paper.commentary = _plant(paper.commentary, spec.ko, rng)
            if spec.kind == "daily":
                paper.abstract_en = _plant(paper.abstract_en, spec.en, rng)
        self.needles.append(NeedleRecord(spec, paper, kinds=[spec.kind]))
        return paper

    def _clean(self, make: Callable[[], str]) -> str:
        while True:
            text = make()
            if not RESERVED_RE.search(text) and not NEEDLE_AVOID_RE.search(text):
                return text

    # -- files ---------------------------------------------------------------------------

    def write(self, relative: str, text: str) -> None:
        path = self.out / relative
        data = text.encode("utf-8")
        path.write_bytes(data)
        self.stats.files[relative.split("-")[0].split("/")[0]] += 1
        self.stats.bytes += len(data)

    def run(self) -> dict[str, Any]:
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / "notes").mkdir(exist_ok=True)
        plan = self.plan
        daily_by_day = {day: i for i, day in enumerate(plan.daily_days)}
        weekly_by_monday = {m: i for i, m in enumerate(plan.weekly_mondays)}
        first = min(monday(plan.daily_days[0]), plan.weekly_mondays[0])
        week = first
        started = time.monotonic()
        while week <= LAST_DAY:
            week_papers: list[GenPaper] = []
            for offset in range(7):
                day = week + timedelta(days=offset)
                if day in daily_by_day:
                    week_papers.extend(self.write_daily(daily_by_day[day], day))
            if week in weekly_by_monday:
                self.write_weekly(weekly_by_monday[week], week, week_papers)
            week += timedelta(weeks=1)
            if week.month == 1 and week.day <= 7:
                self.log(
                    f"  {week.year - 1}: {self.stats.papers:,} papers so far "
                    f"({time.monotonic() - started:.0f} s)"
                )
        self.write_notes()
        if self.stats.papers != self.papers:
            raise AssertionError(f"generated {self.stats.papers} papers, not {self.papers}")
        return self.finish()

    def write_daily(self, index: int, day: date) -> list[GenPaper]:
        plan = self.plan
        papers = []
        for slot in range(plan.daily_sizes[index]):
            spec = plan.daily_needles.get((index, slot))
            paper = self.needle_paper(spec, day) if spec else self.daily_paper(day)
            papers.append(paper)
        lines = [f"{day.year}년 {day.month}월 {day.day}일"]
        for paper in papers:
            lines.append(paper.title_en)
            if paper.authors:
                lines.append(f"({', '.join(paper.authors)})")
            if paper.arxiv_id:
                lines.append(f"https://arxiv.org/abs/{paper.arxiv_id}")
            elif paper.url:
                lines.append(paper.url)
            if paper.abstract_en:
                lines.append(paper.abstract_en)
            if paper.commentary:
                lines.append(paper.commentary)
            if paper.tags:
                lines.append(" ".join(f"#{t}" for t in paper.tags))
        self.write(f"daily-{day.isoformat()}.txt", "\n".join(lines))
        self.stats.papers += len(papers)
        self.stats.mentions += len(papers)
        return papers

    def write_weekly(self, index: int, week: date, week_papers: list[GenPaper]) -> None:
        plan, rng, gen = self.plan, self.rng, self.gen
        entries: list[GenPaper] = []
        for slot in range(plan.weekly_unique[index]):
            spec = plan.weekly_needles.get((index, slot))
            entries.append(self.needle_paper(spec, week) if spec else self.weekly_paper(week))
        new_papers = len(entries)
        # Cross-mentions: papers of this week's daily files, planted needles first.
        needle_titles = {n.spec.title_en: n for n in self.needles if n.spec.also_weekly}
        planted = [p for p in week_papers if p.title_en in needle_titles]
        # never another needle: weekly_paper would retry forever on its reserved words
        every_needle = {n.spec.title_en for n in self.needles}
        others = [p for p in week_papers if p.arxiv_id and p.title_en not in every_needle]
        picks = rng.sample(others, min(plan.weekly_cross[index], len(others)))
        for base in planted:
            record = needle_titles[base.title_en]
            title_ko, sentence = record.spec.also_weekly or ("", "")
            paper = GenPaper(
                title_en=base.title_en,
                arxiv_id=base.arxiv_id,
                abstract_en=base.abstract_en,
                title_ko=title_ko,
                summary_ko=self._clean(gen.summary_ko) + " " + sentence,
                summary_en=self._clean(lambda: gen.summary_en(gen.acronym())),
                abstract_ko=self._clean(lambda: gen.korean_paragraph(5)),
            )
            record.kinds.append("weekly")
            record.extra_text.append(paper.searchable_text())
            entries.insert(rng.randrange(len(entries) + 1), paper)
        for base in picks:
            entries.insert(rng.randrange(len(entries) + 1), self.weekly_paper(week, base))
        self.stats.papers += new_papers
        self.stats.mentions += len(entries)
        self.write(f"weekly-{week.isoformat()}.txt", self.weekly_text(week, entries))

    def weekly_text(self, week: date, entries: Sequence[GenPaper]) -> str:
        gen, rng = self.gen, self.rng
        end = week + timedelta(days=6)
        if week.year >= 2026:
            tail = f"{end.day:02d}" if end.month == week.month else f"{end:%m/%d}"
            title = f"[{week:%Y/%m/%d} ~ {tail}] 이번 주에 살펴볼 만한 AI/ML 논문 모음"
        else:
            title = (
                f"[{week:%Y/%m/%d} ~ {end:%m/%d}] 이번 주의 주요 ML 논문 "
                "(Top ML Papers of the Week)"
            )
        quoted = ", ".join(f'"{p.title_en}"' for p in entries[:3])
        intro = [
            f"이번 주에 제출된 논문들 중 {quoted} 같은 논문들이 눈에 띕니다. "
            + gen.korean_paragraph(2),
            gen.korean_paragraph(rng.randint(2, 3)),
            gen.korean_paragraph(rng.randint(1, 2)),
        ]
        parts = [title, "", title, "", "PyTorchKR:fire::kr: :thinking::speech_balloon:", ""]
        for paragraph in intro:
            parts += [f"  • {paragraph}", ""]
        parts.append("")
        for paper in entries:
            if paper.title_ko:
                parts += [f"{paper.title_ko} / {paper.title_en}", "", "논문 소개", ""]
            else:
                parts += [paper.title_en, "", "소개", ""]
            parts += [paper.summary_ko or "", "", paper.summary_en or "", ""]
            if paper.abstract_ko and paper.abstract_en:
                heading = "논문 초록(Abstract)" if rng.random() < 0.8 else "논문 초록 (Abstract)"
                parts += [heading, "", paper.abstract_ko, "", paper.abstract_en, ""]
            if paper.arxiv_id:
                parts += ["논문 링크", "", f"https://arxiv.org/abs/{paper.arxiv_id}", ""]
            else:
                parts += ["관련 링크", "", paper.url or "", ""]
            handle = rng.choice(("_akhaliq", "arankomatsuzaki", "omarsar0", "AIatMeta"))
            status = rng.randrange(10**18, 2 * 10**18)
            parts += ["더 읽어보기", "", f"https://x.com/{handle}/status/{status}", "", ""]
        parts.append(WEEKLY_FOOTER + f"{rng.randint(1, 9)}개의 좋아요")
        return "\n".join(parts)

    def write_notes(self) -> None:
        plan, rng = self.plan, self.rng
        start, span = date(2020, 1, 1), (date(2023, 12, 31) - date(2020, 1, 1)).days
        names: set[str] = set()
        for index in range(plan.notes):
            day = start + timedelta(days=rng.randrange(span))
            spec = plan.note_needles.get(index)
            paper = self.needle_paper(spec, day) if spec else self.note_paper(day)
            url = f"https://arxiv.org/abs/{paper.arxiv_id}" if paper.arxiv_id else paper.url
            tags = " ".join(f"#{t}" for t in paper.tags) + " "
            if rng.random() < 0.2:  # the older layout: title and URL on the first line
                body = f"{paper.title_en} {url}\n{paper.commentary}\n\n{tags}"
            else:
                authors = ", ".join(paper.authors)
                body = f"{url}\n\n{paper.title_en} ({authors})\n\n{paper.commentary}\n\n{tags}"
            name = f"{day:%y%m%d} {_file_safe(paper.title_en)}"
            while name in names:
                name += "_"
            names.add(name)
            self.write(f"notes/{name}.md", body)
            self.stats.papers += 1
            self.stats.mentions += 1

    def finish(self) -> dict[str, Any]:
        truth = ground_truth(self.needles)
        latency = latency_queries(self.samples, random.Random(self.seed + 1))
        (self.out / "ground_truth.json").write_text(
            json.dumps(
                {
                    "seed": self.seed,
                    "papers": self.papers,
                    "needles": [
                        {
                            "slug": n.spec.slug,
                            "arxiv_id": n.paper.arxiv_id,
                            "title_en": n.paper.title_en,
                            "title_ko": n.paper.title_ko,
                            "kinds": n.kinds,
                            "authors": n.paper.authors,
                            "tags": n.paper.tags,
                        }
                        for n in self.needles
                    ],
                    "queries": truth,
                },
                ensure_ascii=False,
                indent=2,
            ),
            encoding="utf-8",
        )
        (self.out / "latency_queries.json").write_text(
            json.dumps(latency, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        manifest = {
            "format_version": FORMAT_VERSION,
            "seed": self.seed,
            "papers": self.stats.papers,
            "mentions": self.stats.mentions,
            "files": dict(sorted(self.stats.files.items())),
            "bytes": self.stats.bytes,
            "needles": len(self.needles),
            "relevance_queries": len(truth),
            "latency_queries": len(latency),
        }
        if self.topics:
            manifest["topics"] = self.topics
            (self.out / "topics.json").write_text(
                json.dumps(self.paper_topics, ensure_ascii=False), encoding="utf-8"
            )
        (self.out / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        return manifest


def _plant(text: str | None, sentences: Sequence[str], rng: random.Random) -> str | None:
    if not sentences:
        return text
    if not text:
        return " ".join(sentences)
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    parts = re.split(r"(?<=[.!?])\s+", lines[i])
    for sentence in sentences:
        parts.insert(rng.randrange(len(parts) + 1), sentence)
    lines[i] = " ".join(parts)
    return "\n".join(lines)


def _file_safe(title: str) -> str:
    return re.sub(r'[\\/:*?"<>|]+', " ", title).strip()[:120]
