"""Hybrid ranking of memory items: BM25 over words/characters plus optional sentence embeddings.

Exact terms (names, project code words, Chinese substrings) come from the lexical index;
meaning and Chinese↔English matches come from the encoder. Lexical evidence only nudges the
semantic score (fusing them equally hurt paraphrase queries in our measurements).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Any

from xiaodazi.memory.embed import Encoder
from xiaodazi.memory.lexical import LexicalIndex

LEX_WEIGHT = 0.35  # how much a saturated lexical match adds to a cosine similarity
LEX_SATURATION = 3.0  # BM25 score at which the lexical part reaches half its weight
MIN_SEMANTIC = 0.3  # below this combined score an item is not relevant enough to recall
MIN_LEXICAL = 1.0  # BM25 floor when no encoder is available
CANDIDATES = 50  # best items taken from each side before fusing; keeps a 10k-item store fast


@dataclass(frozen=True)
class Scored:
    """One ranked item: combined score and its two parts."""

    item_id: int
    score: float
    lexical: float
    semantic: float


class RecallIndex:
    """In-memory index of active items; the repository stays the source of truth."""

    def __init__(self, encoder: Encoder | None = None) -> None:
        self.encoder = encoder
        self.lexical = LexicalIndex()
        self._vectors: dict[int, Any] = {}
        self._matrix: Any = None
        self._matrix_ids: list[int] = []

    def __len__(self) -> int:
        return len(self.lexical)

    def add(self, item_id: int, text: str, vector: Any = None) -> None:
        """Index one item; `vector` is its stored embedding (computed here when missing)."""
        self.lexical.add(item_id, text)
        if self.encoder is not None:
            self._vectors[item_id] = vector if vector is not None else self.encoder.encode([text])[0]
            self._matrix = None

    def remove(self, item_id: int) -> None:
        """Drop one item from the index."""
        self.lexical.remove(item_id)
        if self._vectors.pop(item_id, None) is not None:
            self._matrix = None

    def vector(self, item_id: int) -> Any:
        """The embedding held for an item (None without an encoder)."""
        return self._vectors.get(item_id)

    def rank(self, query: str, k: int = 5, threshold: bool = True) -> list[Scored]:
        """The `k` best items for `query`, best first; weak matches dropped when `threshold`."""
        lexical = dict(heapq.nlargest(CANDIDATES, self.lexical.scores(query).items(), key=lambda kv: kv[1]))
        semantic = self._semantic(query) if self.encoder is not None else {}
        scored = [self._combine(i, lexical.get(i, 0.0), semantic.get(i, 0.0)) for i in set(lexical) | set(semantic)]
        if threshold:
            scored = [s for s in scored if self._relevant(s)]
        scored.sort(key=lambda s: (-s.score, s.item_id))
        return scored[:k]

    def _combine(self, item_id: int, lex: float, sem: float) -> Scored:
        if self.encoder is None:
            return Scored(item_id, lex, lex, 0.0)
        boost = LEX_WEIGHT * lex / (lex + LEX_SATURATION)
        return Scored(item_id, sem + boost, lex, sem)

    def _relevant(self, s: Scored) -> bool:
        if self.encoder is None:
            return s.lexical >= MIN_LEXICAL
        return s.score >= MIN_SEMANTIC

    def _semantic(self, query: str) -> dict[int, float]:
        import numpy as np

        if not self._vectors:
            return {}
        if self._matrix is None:
            self._matrix_ids = list(self._vectors)
            self._matrix = np.stack([self._vectors[i] for i in self._matrix_ids])
        # einsum, not BLAS: a multi-threaded BLAS call is many times slower on a busy 2-core machine.
        sims = np.einsum("ij,j->i", self._matrix, self.encoder.encode([query])[0])
        top = np.argpartition(-sims, CANDIDATES)[:CANDIDATES] if len(sims) > CANDIDATES else range(len(sims))
        return {self._matrix_ids[j]: float(sims[j]) for j in top}
