"""Text for the corpus: a Markov chain learnt from the real samples, the generated papers
and their wording (``TextGen``), and the latency queries drawn from the same vocabulary."""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from bench.corpus_words import (
    ACRONYM_PARTS,
    ACRONYM_SUFFIXES,
    EN_ADJECTIVES,
    EN_CONDITIONS,
    EN_DATASETS,
    EN_GERUNDS,
    EN_LIMITATIONS,
    EN_METHODS,
    EN_METRICS,
    EN_MODEL_GROUPS,
    EN_MODELS,
    EN_PROPERTIES,
    EN_REQUIREMENTS,
    EN_SUMMARY_CLAUSES,
    EN_TASKS,
    EN_TEMPLATES,
    FIRST_NAMES,
    HANGUL_RE,
    KO_CASUAL_TEMPLATES,
    KO_FORMAL_TEMPLATES,
    KO_SUMMARY_TEMPLATES,
    KO_TERMS,
    KO_TITLE_TEMPLATES,
    LAST_NAMES,
    LETTER_RE,
    ORGANISATIONS,
    RESERVED_RE,
    SMALL_WORDS,
    TAG_WEIGHTS,
    attach,
    fill_korean,
)

# --------------------------------------------------------------------------------------------
# Text learnt from the real samples
# --------------------------------------------------------------------------------------------

_END = "\x00"


class Markov:
    """A first-order word Markov chain over whole sentences."""

    def __init__(self, sentences: Iterable[str]) -> None:
        self.starts: list[str] = []
        self.following: dict[str, list[str]] = {}
        for sentence in sentences:
            words = sentence.split()
            if len(words) < 4:
                continue
            self.starts.append(words[0])
            for current, nxt in zip(words, [*words[1:], _END], strict=True):
                self.following.setdefault(current, []).append(nxt)

    def sentence(self, rng: random.Random, min_words: int, max_words: int) -> str | None:
        if not self.starts:
            return None
        for _ in range(6):
            word = rng.choice(self.starts)
            out = [word]
            while len(out) <= max_words:
                word = rng.choice(self.following[word])
                if word == _END:
                    break
                out.append(word)
            if min_words <= len(out) <= max_words:
                return " ".join(out)
        return None


@dataclass
class SampleText:
    korean_formal: list[str] = field(default_factory=list)  # weekly: ~합니다
    korean_casual: list[str] = field(default_factory=list)  # daily commentary and notes
    english: list[str] = field(default_factory=list)
    korean_words: Counter[str] = field(default_factory=Counter)

    @classmethod
    def load(cls) -> SampleText:
        text = cls()
        root = resources.files("bot").joinpath("sample_digests")
        sources: list[tuple[str, str]] = []
        for entry in sorted(root.iterdir(), key=lambda e: e.name):
            if entry.is_file() and entry.name.endswith(".txt"):
                sources.append((entry.name, entry.read_text(encoding="utf-8")))
        notes = root.joinpath("notes")
        for entry in sorted(notes.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".md"):
                sources.append(("note", entry.read_text(encoding="utf-8")))
        for name, body in sources:
            formal = name.startswith("weekly")
            for raw in body.splitlines():
                if raw.strip() == "원문":  # the forum footer follows: not paper text
                    break
                text._add_line(raw, formal=formal)
        return text

    def _add_line(self, raw: str, *, formal: bool) -> None:
        line = raw.strip().lstrip("•").strip()
        if len(line) < 30 or line.startswith(("#", "[", "(", "http", "PyTorchKR", ":")):
            return
        letters = len(LETTER_RE.findall(line))
        hangul = len(HANGUL_RE.findall(line))
        if not letters:
            return
        for sentence in re.split(r"(?<=[.!?])\s+", line):
            words = [w for w in sentence.split() if _clean_word(w)]
            if len(words) < 4 or not words[0][0].isalnum():
                continue
            cleaned = " ".join(words)
            if RESERVED_RE.search(cleaned):
                continue
            if hangul / letters > 0.3:
                (self.korean_formal if formal else self.korean_casual).append(cleaned)
                self.korean_words.update(w.strip(".,;:()\"'") for w in words if HANGUL_RE.search(w))
            elif hangul == 0 and len(line) > 150:
                self.english.append(cleaned)


def _clean_word(word: str) -> bool:
    return "http" not in word and "::" not in word and not word.startswith(":")


# --------------------------------------------------------------------------------------------
# Generated papers
# --------------------------------------------------------------------------------------------


@dataclass
class GenPaper:
    title_en: str
    authors: list[str] = field(default_factory=list)
    arxiv_id: str | None = None
    url: str | None = None
    abstract_en: str | None = None
    commentary: str | None = None
    tags: list[str] = field(default_factory=list)
    # weekly only
    title_ko: str | None = None
    summary_ko: str | None = None
    summary_en: str | None = None
    abstract_ko: str | None = None

    def searchable_text(self) -> str:
        parts = [
            self.title_en,
            self.title_ko,
            ", ".join(self.authors),
            self.abstract_en,
            self.commentary,
            self.summary_ko,
            self.summary_en,
            self.abstract_ko,
            " ".join(self.tags),
        ]
        return "\n".join(p for p in parts if p)


def normalise_title(title: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a title (kept local, so the corpus
    does not change when the bot's own normalisation does)."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", title).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.findall(r"\w+", text))


def ascii_fold(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9-]", "", folded.lower()) or "lab"


def titlecase(text: str) -> str:
    words = text.split(" ")
    out = []
    for i, word in enumerate(words):
        if i and word in SMALL_WORDS:
            out.append(word)
        elif word[:1].islower():
            out.append(word[0].upper() + word[1:])
        else:
            out.append(word)
    return " ".join(out)


@dataclass
class Topic:
    """What one paper is about: its templated sentences keep coming back to these terms."""

    methods: list[str]
    tasks: list[str]
    ko_terms: list[str]
    datasets: list[str]
    model: str


class TextGen:
    """Sentences, titles and names; every choice comes from one seeded ``random.Random``."""

    def __init__(self, rng: random.Random, samples: SampleText, topics: int = 0) -> None:
        self.rng = rng
        self.formal = Markov(samples.korean_formal)
        self.casual = Markov(samples.korean_casual)
        self.english = Markov(samples.english)
        self.tags = [tag for tag, weight in TAG_WEIGHTS for _ in range(weight)]
        # With ``topics`` > 0 every paper draws its topic from a fixed pool of that many
        # (papers of one topic are "related" in bench.related); 0: a fresh topic per paper.
        pool_rng = random.Random(rng.random()) if topics else None
        self.pool = [self.new_topic(pool_rng) for _ in range(topics)]
        self.topic_index = -1
        self.topic = self.new_topic()

    def new_topic(self, rng: random.Random | None = None) -> Topic:
        rng = rng or self.rng
        return Topic(
            methods=rng.sample(EN_METHODS, 2),
            tasks=rng.sample(EN_TASKS, 2),
            ko_terms=rng.sample(KO_TERMS, 4),
            datasets=rng.sample(EN_DATASETS, 2),
            model=rng.choice(EN_MODELS),
        )

    def begin_paper(self, topic_index: int | None = None) -> None:
        if not self.pool:
            self.topic = self.new_topic()
            return
        if topic_index is None:
            topic_index = self.rng.randrange(len(self.pool))
        self.topic_index = topic_index
        self.topic = self.pool[topic_index]

    # -- pieces --------------------------------------------------------------------------

    def acronym(self) -> str:
        rng = self.rng
        word = rng.choice(ACRONYM_PARTS) + rng.choice(ACRONYM_PARTS).lower()
        if rng.random() < 0.35:
            word = word.upper()
        return word + rng.choice(ACRONYM_SUFFIXES)

    def _en_slots(self, acr: str | None = None) -> dict[str, str]:
        rng = self.rng
        topic = self.topic
        if rng.random() < 0.85:
            method, method2 = rng.sample(topic.methods, 2)
            task, task2 = rng.sample(topic.tasks, 2)
            dataset, dataset2 = rng.sample(topic.datasets, 2)
            model = topic.model
        else:
            method, method2 = rng.sample(EN_METHODS, 2)
            task, task2 = rng.sample(EN_TASKS, 2)
            dataset, dataset2 = rng.sample(EN_DATASETS, 2)
            model = rng.choice(EN_MODELS)
        return {
            "acr": acr or self.acronym(),
            "adj": rng.choice(EN_ADJECTIVES),
            "method": method,
            "method2": method2,
            "task": task,
            "task2": task2,
            "dataset": dataset,
            "dataset2": dataset2,
            "metric": rng.choice(EN_METRICS),
            "num": f"{rng.uniform(1.5, 40.0):.1f}",
            "k": str(rng.randint(2, 12)),
            "n": f"{rng.randint(5, 120) * 100:,}",
            "model": model,
            "limitation": rng.choice(EN_LIMITATIONS),
            "requirement": rng.choice(EN_REQUIREMENTS),
            "condition": rng.choice(EN_CONDITIONS),
            "user": ascii_fold(rng.choice(LAST_NAMES)),
            "repo": ascii_fold(acr or self.acronym()),
        }

    def en_sentence(self, acr: str) -> str:
        if self.rng.random() < 0.12:
            sentence = self.english.sentence(self.rng, 8, 40)
            if sentence:
                return sentence
        return self.rng.choice(EN_TEMPLATES).format(**self._en_slots(acr))

    def ko_terms(self, count: int) -> list[str]:
        if self.rng.random() < 0.7:
            return self.rng.sample([*self.topic.ko_terms, *self.rng.sample(KO_TERMS, 2)], count)
        return self.rng.sample(KO_TERMS, count)

    def ko_sentence(self, *, formal: bool) -> str:
        rng = self.rng
        if rng.random() < 0.45:
            sentence = (self.formal if formal else self.casual).sentence(rng, 5, 30)
            if sentence:
                return sentence
        templates = KO_FORMAL_TEMPLATES if formal else KO_CASUAL_TEMPLATES
        return fill_korean(rng.choice(templates), self.ko_terms(3))

    def authors(self) -> list[str]:
        rng = self.rng
        if rng.random() < 0.01:
            return [rng.choice(ORGANISATIONS)]
        count = min(rng.choice((1, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 8, 9, 10, 12)), 14)
        names = []
        for _ in range(count):
            first = rng.choice(FIRST_NAMES)
            if rng.random() < 0.04:
                first = f"{first[0]}. {rng.choice('ABCDEFGHJKLMNPRSTWY')}."
            names.append(f"{first} {rng.choice(LAST_NAMES)}")
        return names

    def tag_list(self) -> list[str]:
        chosen: list[str] = []
        for _ in range(self.rng.choice((1, 1, 2, 2, 2, 3))):
            tag = self.rng.choice(self.tags)
            if tag not in chosen:
                chosen.append(tag)
        return chosen

    # -- whole fields --------------------------------------------------------------------

    def title_en(self) -> tuple[str, str]:
        """A title and the acronym it uses (the abstract refers to it)."""
        rng = self.rng
        s = self._en_slots()
        acr = s["acr"]
        method, method2 = titlecase(s["method"]), titlecase(s["method2"])
        task, task2 = titlecase(s["task"]), titlecase(s["task2"])
        adj = titlecase(s["adj"])
        pattern = rng.randrange(12)
        if pattern == 0:
            title = f"{acr}: {adj} {method} for {task}"
        elif pattern == 1:
            title = f"{method} for {task} with {method2}"
        elif pattern == 2:
            title = f"Towards {adj} {task} with {method}"
        elif pattern == 3:
            title = f"On the {rng.choice(EN_PROPERTIES)} of {method} in {task}"
        elif pattern == 4:
            title = f"Do {rng.choice(EN_MODEL_GROUPS)} Really Need {method} for {task}?"
        elif pattern == 5:
            title = f"{acr}: Scaling {method} for {task}"
        elif pattern == 6:
            title = f"{acr}: {rng.choice(EN_GERUNDS)} {task} via {method}"
        elif pattern == 7:
            title = f"When {method} Meets {method2}: {adj} {task}"
        elif pattern == 8:
            title = f"{adj} {method} Improves {task} and {task2}"
        elif pattern == 9:
            title = f"Understanding {method} through the Lens of {method2}"
        elif pattern == 10:
            title = f"{acr}: A Benchmark for {task} in {rng.choice(EN_MODEL_GROUPS)}"
        else:
            title = f"Rethinking {method} for {adj} {task}"
        return title, acr

    def abstract_en(self, acr: str) -> str:
        target = self.rng.randint(150, 250)
        sentences: list[str] = []
        words = 0
        while words < target:
            sentence = self.en_sentence(acr)
            sentences.append(sentence)
            words += sentence.count(" ") + 1
        return " ".join(sentences)

    def commentary(self, reference: str | None = None) -> str:
        """2-4 casual Korean sentences on 1-3 lines."""
        rng = self.rng
        sentences = [self.ko_sentence(formal=False) for _ in range(rng.randint(2, 4))]
        if reference:
            i = rng.randrange(len(sentences))
            sentences[i] = sentences[i].rstrip(".") + f" (https://arxiv.org/abs/{reference})."
        lines = rng.randint(1, min(3, len(sentences)))
        cut = sorted(rng.sample(range(1, len(sentences)), lines - 1)) if lines > 1 else []
        out, start = [], 0
        for end in [*cut, len(sentences)]:
            out.append(" ".join(sentences[start:end]))
            start = end
        return "\n".join(out)

    def korean_paragraph(self, sentences: int) -> str:
        return " ".join(self.ko_sentence(formal=True) for _ in range(sentences))

    def title_ko(self, title_en: str) -> str:
        head = title_en.split(":", 1)[0]
        head = f"{head}: " if ":" in title_en and " " not in head else ""
        return head + fill_korean(self.rng.choice(KO_TITLE_TEMPLATES), self.ko_terms(3))

    def summary_ko(self) -> str:
        return fill_korean(self.rng.choice(KO_SUMMARY_TEMPLATES), self.ko_terms(3))

    def summary_en(self, acr: str) -> str:
        clauses = self.rng.sample(EN_SUMMARY_CLAUSES, self.rng.randint(2, 4))
        slots = self._en_slots(acr)
        text = "; ".join(c.format(**slots) for c in clauses)
        return text[0].upper() + text[1:] + "."


# --------------------------------------------------------------------------------------------
# Latency queries: a seeded mix drawn from the corpus vocabulary
# --------------------------------------------------------------------------------------------

_PARTICLE_ENDINGS = ("을", "를", "이", "가", "의", "은", "는", "에", "도", "와", "과", "로")
# Function words and verb forms nobody searches for; kept out of the latency queries.
_KO_STOPWORDS = frozenset(
    ("같은", "이를", "다음", "통해", "따라", "대한", "있는", "여러", "하는", "대해", "위해",
     "위한", "이런", "있다", "것을", "것이", "하고", "되는", "없는", "또한", "이번", "모든",
     "가장", "다른", "하여", "했다", "한다", "이다", "그리고", "있습니다", "있을", "없이",
     "할", "수", "있음을", "것으로", "이러한", "있었는지", "듯", "것", "등", "및", "더", "좀")
)  # fmt: skip


def latency_queries(samples: SampleText, rng: random.Random) -> list[dict[str, Any]]:
    # Korean two-syllable content words: the term list plus stems of particle-marked sample words.
    two: Counter[str] = Counter()
    for term in KO_TERMS:
        for word in term.split():
            if len(word) == 2 and HANGUL_RE.fullmatch(word[0]) and HANGUL_RE.fullmatch(word[1]):
                two[word] += 5
    for word, count in samples.korean_words.items():
        if len(word) == 3 and word.endswith(_PARTICLE_ENDINGS) and HANGUL_RE.fullmatch(word[:2]):
            two[word[:2]] += count
        elif len(word) == 2 and HANGUL_RE.fullmatch(word[0]) and HANGUL_RE.fullmatch(word[1]):
            two[word] += count
    ranked = sorted(two.items(), key=lambda kv: (-kv[1], kv[0]))
    two_syllable = [w for w, _ in ranked if w not in _KO_STOPWORDS][:80]

    phrases: list[str] = []
    casual = Markov(samples.korean_casual + samples.korean_formal)
    while len(phrases) < 50:
        if rng.random() < 0.5:
            sentence = casual.sentence(rng, 5, 30)
            if not sentence:
                continue
            words = [w.strip(".,()\"'") for w in sentence.split()]
            words = [
                w for w in words if HANGUL_RE.search(w) and len(w) > 1 and w not in _KO_STOPWORDS
            ]
            if len(words) < 3:
                continue
            start = rng.randrange(len(words) - 1)
            phrase = " ".join(words[start : start + rng.randint(2, 3)])
        else:
            a, b = rng.sample(KO_TERMS, 2)
            phrase = f"{attach(a, rng.choice(('을', '의', '이', '에서')))} {b}"
        if not RESERVED_RE.search(phrase) and phrase not in phrases:
            phrases.append(phrase)

    english: list[str] = []
    while len(english) < 50:
        roll = rng.random()
        if roll < 0.4:
            phrase = rng.choice(EN_METHODS)
        elif roll < 0.7:
            phrase = f"{rng.choice(EN_ADJECTIVES)} {rng.choice(EN_TASKS)}"
        else:
            phrase = f"{rng.choice(EN_METHODS).split()[0]} {rng.choice(EN_TASKS)}"
        if len(phrase.split()) >= 2 and phrase not in english:
            english.append(phrase)

    authors = []
    for _ in range(30):
        last = rng.choice(LAST_NAMES)
        authors.append(last if rng.random() < 0.4 else f"{rng.choice(FIRST_NAMES)} {last}")

    tags = [tag for tag, weight in TAG_WEIGHTS for _ in range(weight)]
    queries: list[dict[str, Any]] = []
    queries += [{"category": "ko_2syllable", "query": w, "tag": None} for w in rng.sample(
        two_syllable, min(50, len(two_syllable)))]  # fmt: skip
    queries += [{"category": "ko_phrase", "query": p, "tag": None} for p in phrases]
    queries += [{"category": "en_multiword", "query": p, "tag": None} for p in english]
    queries += [{"category": "author", "query": a, "tag": None} for a in authors]
    for _ in range(30):
        word = rng.choice(two_syllable) if rng.random() < 0.5 else rng.choice(EN_TASKS)
        queries.append({"category": "tag_filtered", "query": word, "tag": rng.choice(tags)})
    return queries
