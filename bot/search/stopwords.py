"""Function words: what a query never requires and related papers never name as a reason.

A query like ``강화학습 없이 추론`` or ``reasoning without fine-tuning`` carries words that say
how the rest relates (``없이``, ``without``, ``위한``, ``for``): no paper is about them, and
requiring them empties the answer. Keys are as ``analysis`` normalises a query word: English
stems, Korean nouns without particles. Frequency learns the rest on a large store; these
lists cover a small one (a new community's first digests) and Korean sentence endings, which
bigrams cannot tell from content.
"""

from __future__ import annotations

import re

import snowballstemmer

__all__ = ["ENGLISH", "FILLERS", "KOREAN", "STOP_KEYS", "is_sentence_ending"]

ENGLISH = frozenset(
    """a about above after again against all also am among an and any are as at be because
    been before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers him his how i if in into is it
    its itself just me more most much must my no nor not now of off on once only or other our
    ours out over own same she should so some such than that the their theirs them then there
    these they this those through to too under until up upon very was way we were what when
    where which while who whom why will with within without would you your yours via versus vs
    using use used uses make makes made like well paper papers""".split()  # noqa: SIM905 - reads as text
)

# Korean function words and fillers, as a query word is normalised (particles stripped).
KOREAN = frozenset(
    """없이 없는 없고 위한 위해 대한 대해 관한 관해 통한 통해 같은 같이 하는 있는 된 되는 이런
    저런 그런 이러한 그러한 어떤 모든 다른 또는 그리고 그냥 정말 아마 좀 등 및 것 거 수 때
    방법 관련 하기 하려는 이용한 이용해 사용한 사용해 이용 사용 기반의 논문 연구 제안 정도
    부분 경우 때문 이번 하나 여러 그냥 그래서 하지만 그러나 요즘 최근 가장 매우 너무 조금""".split()  # noqa: SIM905
)

# Words commentary uses about any paper (related papers must not name them as a reason).
FILLERS = frozenset(
    """various number approach approaches method methods result results model models paper
    approach method result model task work perform improv signific effect simpl differ larg
    small base show propos numb variou
    papers work works task tasks show shows shown propose proposes proposed new based
    performance better improve improves improved improvement large small different
    significant significantly effective effectively simple also however thus therefore
    의미 생각 느낌 결과 성능 방식 모델 논문 문제 방법 시도 접근 아이디어 실험 재미 흥미
    좋은 좋다 나왔군요 모양 모양입니다 것같다 같네요 보입니다 싶네요 합니다 했네요""".split()  # noqa: SIM905
)


def _stem(word: str) -> str:
    stemmed: str = snowballstemmer.stemmer("english").stemWord(word)
    return stemmed


STOP_KEYS = frozenset({_stem(word) for word in ENGLISH} | KOREAN)

# Korean sentence endings and verb forms: a "word" that ends so is a predicate, never a topic
# (나왔군요, 모양입니다, 했다, 같다).
_ENDING_RE = re.compile(
    "(?:요|다|죠|네|군|듯|음|임|함|됨|까|지만|는데|니다|습니|었|았|였|겠|하게|하지|해서|하여|하고|"
    "으며|이며|라고|다고|는지|을지|ㄴ지|면서|으면|하면)$"
)


def is_sentence_ending(word: str) -> bool:
    """Whether a Hangul word ends like a sentence or a verb form (``나왔군요``, ``같다``)."""
    return bool(_ENDING_RE.search(word))
