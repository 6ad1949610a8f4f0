"""Word and character n-gram BM25 over memory items, for Chinese, English and mixed text.

Chinese has no spaces, so Chinese runs become overlapping character bigrams (plus single
characters at a low weight); Latin runs become lower-cased, lightly stemmed words. The index is
kept in memory and updated item by item, so a query costs a few dictionary look-ups.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+(?:['’][a-z]+)?")
_CJK_START = "\u3400"
UNIGRAM_WEIGHT = 0.3
K1, B = 1.2, 0.75
PRIOR_DOCS = 20
COMMON_POSTING = 500  # terms in more items than this (and >10% of them) are skipped

# Words that say nothing about which memory is meant; kept short on purpose.
EN_STOP = frozenset(
    "a an the and or but of to in on at for with from by about as is are was were be been am do does did "
    "i me my mine you your we our us he she it its they them their this that these those what which who whom "
    "when where why how can could should would will shall may might must have has had not no yes please "
    "tell remind know remember some any more most than then there here into out up down so just also very "
    "let lets want like s".split()
)
ZH_STOP_CHARS = frozenset("的了吗呢吧啊呀嘛我你他她它是在有和与就都也还要会能个这那么什怎哪吗请帮给")
ZH_STOP_BIGRAMS = frozenset(
    ["什么", "怎么", "哪个", "哪里", "一下", "可以", "我们", "你们", "一个", "这个", "那个", "帮我", "给我",
     "知道", "告诉", "记得", "是不", "不是", "有没", "没有", "我的", "你的", "我是", "我在", "是什"]
)


def _stem(word: str) -> str:
    """A deliberately small English stemmer: plural and common verb endings."""
    word = word.replace("’", "'").removesuffix("'s")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _cjk_terms(run: str) -> list[tuple[str, float]]:
    terms = [(run[i : i + 2], 1.0) for i in range(len(run) - 1) if run[i : i + 2] not in ZH_STOP_BIGRAMS]
    terms += [("u:" + ch, UNIGRAM_WEIGHT) for ch in run if ch not in ZH_STOP_CHARS]
    return terms


def terms_of(text: str) -> list[tuple[str, float]]:
    """The weighted index terms of a text (repeats kept, so counts are term frequencies)."""
    normal = unicodedata.normalize("NFKC", text).lower()
    terms: list[tuple[str, float]] = []
    for run in _RUN.findall(normal):
        if run[0] >= _CJK_START:
            terms.extend(_cjk_terms(run))
        elif run not in EN_STOP:
            stem = _stem(run)
            if stem and stem not in EN_STOP:
                terms.append((stem, 1.0))
    return terms


class LexicalIndex:
    """An incremental BM25 index from item id to text."""

    def __init__(self) -> None:
        self._docs: dict[int, Counter[str]] = {}
        self._postings: dict[str, dict[int, int]] = {}
        self._lengths: dict[int, int] = {}
        self._total_len = 0

    def __len__(self) -> int:
        return len(self._docs)

    def add(self, item_id: int, text: str) -> None:
        """Index (or re-index) one item."""
        self.remove(item_id)
        weighted = terms_of(text)
        counts = Counter(term for term, _ in weighted)
        self._docs[item_id] = counts
        self._lengths[item_id] = sum(counts.values())
        self._total_len += self._lengths[item_id]
        for term, tf in counts.items():
            self._postings.setdefault(term, {})[item_id] = tf

    def remove(self, item_id: int) -> None:
        """Forget one item (no-op when absent)."""
        counts = self._docs.pop(item_id, None)
        if counts is None:
            return
        self._total_len -= self._lengths.pop(item_id)
        for term in counts:
            posting = self._postings.get(term, {})
            posting.pop(item_id, None)
            if not posting:
                self._postings.pop(term, None)

    def scores(self, query: str) -> dict[int, float]:
        """BM25 score of every item sharing a term with `query`."""
        n = len(self._docs)
        if not n:
            return {}
        avg_len = max(self._total_len / n, 1.0)
        out: dict[int, float] = {}
        for term, weight in dict(terms_of(query)).items():
            posting = self._postings.get(term)
            if not posting or len(posting) > max(COMMON_POSTING, n // 10):
                continue  # missing, or so common (e.g. 喜欢 in a big store) it says little and costs much
            # A small store is scored as if it had PRIOR_DOCS items: a word found in the only memory
            # is rare, not common, and must still clear the relevance floor.
            docs = max(n, PRIOR_DOCS)
            idf = math.log(1 + (docs - len(posting) + 0.5) / (len(posting) + 0.5)) * weight
            for item_id, tf in posting.items():
                norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * self._lengths[item_id] / avg_len))
                out[item_id] = out.get(item_id, 0.0) + idf * norm
        return out
