"""Local, model-free skill selection: BM25 over Chinese character n-grams and stemmed Latin words.

Chinese has no spaces, so CJK runs become overlapping character bigrams (a one-character run
stays a unigram); Latin text becomes lowercased words with a light stemmer so that organise /
organizer / organizing meet. Each skill is one document built from its name, Chinese name,
keywords and both descriptions, the short fields repeated so they weigh more. Scores are
precomputed per term (query terms are taken once), so a query costs one dictionary walk per term.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN_RE = re.compile(rf"[{_CJK}]+|[a-z0-9]+")
STOP_WORDS = frozenset(
    "a an and any are as at be by can could do does for from get give help how i if in into is it its "
    "just let like make me my need of on one or our please so some someone something that the their them "
    "then there they this to up us use used using user users want wants was we what when where which "
    "while who why will with would you your hi hello hey thanks thank ok okay same other another these those "
    "ones two three four five each every all both again too very much many now rest".split()
)
# Bigrams that carry no topic: politeness, pronouns, filler.
STOP_BIGRAMS = frozenset(
    "帮我 帮忙 一下 我的 你的 一个 这个 那个 这些 那些 可以 怎么 什么 如何 能不 不能 给我 请帮 你能 "
    "我想 想要 需要 我要 一些 里的 里面 然后 是不 不是 有没 没有 吗 的话 时候".split()
)
# (suffix, replacement) tried longest first; -ise/-ize spellings meet at "iz".
_SUFFIXES = sorted(
    [("isation", "iz"), ("ization", "iz"), ("ising", "iz"), ("izing", "iz"), ("ised", "iz"), ("ized", "iz"),
     ("iser", "iz"), ("izer", "iz"), ("isers", "iz"), ("izers", "iz"), ("ises", "iz"), ("izes", "iz"),
     ("ise", "iz"), ("ize", "iz"), ("ations", "at"), ("ation", "at"), ("ingly", ""), ("ings", ""),
     ("ing", ""), ("edly", ""), ("ed", ""), ("ers", ""), ("er", ""), ("ies", "y"), ("ly", "")],
    key=lambda pair: -len(pair[0]),
)
K1 = 1.2
MIN_CORPUS = 50
B = 0.75


def stem(word: str) -> str:
    """A light English stemmer: consistent on both sides is all BM25 needs."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith(("sses", "xes", "ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix, repl in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + repl
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def tokens(text: str) -> list[str]:
    """Terms of a text: CJK character bigrams plus stemmed Latin words, stop terms removed."""
    out: list[str] = []
    for run in _RUN_RE.findall(text.lower()):
        if run[0].isascii():
            # Bare numbers (page 5, 2024, 1+1) say nothing about which skill fits.
            if run not in STOP_WORDS and len(run) > 1 and not run.isdigit():
                out.append(stem(run))
        elif len(run) == 1:
            if run not in STOP_BIGRAMS:
                out.append(run)
        else:
            out.extend(g for g in (run[i : i + 2] for i in range(len(run) - 1)) if g not in STOP_BIGRAMS)
    return out


@dataclass
class Document:
    """What the selector indexes for one skill; fields weighted by repetition."""

    name: str
    fields: Sequence[tuple[str, int]]  # (text, weight)

    def terms(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for text, weight in self.fields:
            for term in tokens(text):
                counts[term] += weight
        return counts


class Bm25Index:
    """An inverted index of per-term BM25 impacts over a fixed set of documents."""

    def __init__(self, docs: Iterable[Document]) -> None:
        docs = list(docs)
        self.names = [d.name for d in docs]
        counts = [d.terms() for d in docs]
        # A small library must not make every term look common: count at least MIN_CORPUS documents.
        n = max(len(docs), MIN_CORPUS)
        avg_len = sum(sum(c.values()) for c in counts) / max(len(docs), 1) or 1.0
        df: Counter[str] = Counter()
        for c in counts:
            df.update(c.keys())
        self.postings: dict[str, dict[int, float]] = {}
        for i, c in enumerate(counts):
            norm = K1 * (1 - B + B * sum(c.values()) / avg_len)
            for term, tf in c.items():
                idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
                self.postings.setdefault(term, {})[i] = idf * tf * (K1 + 1) / (tf + norm)

    def __len__(self) -> int:
        return len(self.names)

    def scores(self, weighted_terms: dict[str, float], allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """Documents with a positive score, best first (optionally only names in `allowed`)."""
        acc: dict[int, float] = {}
        for term, weight in weighted_terms.items():
            for doc, impact in self.postings.get(term, {}).items():
                acc[doc] = acc.get(doc, 0.0) + weight * impact
        ranked = sorted(acc.items(), key=lambda kv: -kv[1])
        return [(self.names[i], s) for i, s in ranked if allowed is None or self.names[i] in allowed]


def query_terms(text: str, history: Sequence[str] = (), history_weight: float = 0.35) -> dict[str, float]:
    """Weighted query terms: the message at full weight, earlier user turns lighter.

    A message with no topic words of its own ("do the same for the rest") is a follow-up: the
    earlier turns then carry the full weight.
    """
    own = set(tokens(text))
    if not own:
        history_weight = 1.0
    weights: dict[str, float] = {}
    for turn in history:
        for term in set(tokens(turn)):
            weights[term] = max(weights.get(term, 0.0), history_weight)
    for term in own:
        weights[term] = 1.0
    return weights


_SMALL_TALK_RE = re.compile(
    r"^(?:hi+|hello|hey|yo|hiya|howdy|good (?:morning|afternoon|evening|night)|thanks?(?: you)?(?: (?:so|very) much)?"
    r"|thx|ty|ok(?:ay)?|cool|nice|great|bye|goodbye|see you|how are you(?: doing)?|what'?s up|who are you"
    r"|are you there|你好|您好|嗨|哈喽|哈啰|早上好|早安|中午好|下午好|晚上好|晚安|谢谢(?:你|您|啦)?|多谢|感谢|好的|好|嗯+|哦+|ok"
    r"|在吗|在不在|你是谁|你好吗|最近怎么样|拜拜|再见|辛苦了|哈+)"
    r"[\s!！.。?？~～,，…呀啊哦呢吧嘛啦了]*$",
    re.IGNORECASE,
)


def is_small_talk(text: str) -> bool:
    """Greetings, thanks and other chatter that should never pull in a skill."""
    text = text.strip()
    return not text or bool(_SMALL_TALK_RE.match(text))


def select(
    index: Bm25Index, weighted: dict[str, float], k: int, threshold: float, relative: float,
    allowed: set[str] | None = None,
) -> list[tuple[str, float]]:
    """The top `k` above an absolute threshold and within `relative` of the best score."""
    ranked = index.scores(weighted, allowed)
    if not ranked:
        return []
    floor = max(threshold, ranked[0][1] * relative)
    return [(name, round(score, 3)) for name, score in ranked[:k] if score >= floor]
