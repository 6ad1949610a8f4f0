"""Memory figures: recall latency before a turn at 100 and 10,000 items (lexical only and hybrid),
recall@3 of the test set when buried among 10,000 other memories, and prompt tokens added per turn.
Prints figures; never fails on time.
Run: .venv/bin/python bench/memory.py [--sizes 100 10000] [--queries 200]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from xiaodazi.memory import MemoryItem, MemoryKind, MemoryService  # noqa: E402
from xiaodazi.memory.embed import load_encoder  # noqa: E402
from xiaodazi.memory.hook import RECALL_K, TOKEN_BUDGET, memory_prompt  # noqa: E402
from xiaodazi.memory.service import estimate_tokens  # noqa: E402
from xiaodazi.storage.memory_store import SqlMemoryRepository  # noqa: E402
from xiaodazi.storage.repo import Store  # noqa: E402

CASES = yaml.safe_load((ROOT / "tests" / "memory" / "recall_cases.yaml").read_text(encoding="utf-8"))
ZH = ["我喜欢{a}", "我不喜欢{a}", "{b}项目下周{n}要交付", "我的同事{c}负责{a}", "周{n}晚上我要去{a}", "{c}的生日是{n}月{m}日"]
EN = ["I enjoy {a}", "Project {b} ships on day {n}", "My colleague {c} handles {a}", "I avoid {a} on weekdays",
      "{c} prefers meetings at {n} o'clock"]
WORDS_ZH = ["爬山", "咖啡", "围棋", "摄影", "烘焙", "骑行", "古典音乐", "露营", "书法", "游泳", "寿司", "火锅"]
WORDS_EN = ["hiking", "jazz", "chess", "pottery", "sailing", "tennis", "ramen", "opera", "gardening", "yoga"]
NAMES = ["张伟", "Anna", "李娜", "Ben", "王芳", "Chloe", "刘洋", "David"]


def filler(rng: random.Random, n: int) -> list[str]:
    """`n` distinct synthetic memories in Chinese and English."""
    out: set[str] = set()
    while len(out) < n:
        zh = rng.random() < 0.5
        template = rng.choice(ZH if zh else EN)
        out.add(template.format(a=rng.choice(WORDS_ZH if zh else WORDS_EN), b=f"P{rng.randint(1, 9999)}",
                                c=rng.choice(NAMES), n=rng.randint(1, 12), m=rng.randint(1, 28)))
    return sorted(out)


def build(folder: Path, size: int, embeddings: bool) -> MemoryService:
    """A service whose store holds the `xiaoming` test profile plus synthetic memories up to `size`."""
    store = Store.open(f"sqlite:///{folder / 'x.db'}", folder / "backups")
    repo = SqlMemoryRepository(store)
    real = CASES["profiles"]["xiaoming"] + CASES["profiles"]["sarah"]
    for text in [*real, *filler(random.Random(size), max(0, size - len(real)))][:size]:
        repo.add(MemoryItem(content=text, kind=MemoryKind.preference))
    service = MemoryService(repo, folder / "MEMORY.md", folder / "mb", embeddings=embeddings)
    began = time.perf_counter()
    service.recall("warm up")  # builds the index (and stores vectors on first build)
    print(f"  index build for {size} items: {time.perf_counter() - began:.2f} s")
    return service


def latency(service: MemoryService, queries: list[str]) -> tuple[float, float, float, float]:
    """Wall-clock p50 and p95 of one recall in ms, CPU-time p50 (what an idle core would take),
    and mean prompt tokens added per turn."""
    times, cpu, tokens = [], [], []
    encoder = load_encoder() if service.use_embeddings else None
    for query in queries:
        if encoder is not None:
            encoder._cache.clear()  # measure a fresh query, not the encoder's small cache
        began, began_cpu = time.perf_counter(), time.thread_time()
        items = service.recall(query, RECALL_K, TOKEN_BUDGET)
        times.append((time.perf_counter() - began) * 1000)
        cpu.append((time.thread_time() - began_cpu) * 1000)
        tokens.append(estimate_tokens(memory_prompt(items)) if items else 0)
    ordered = sorted(times)
    return (statistics.median(times), ordered[int(0.95 * (len(ordered) - 1))], statistics.median(cpu),
            statistics.mean(tokens))


def recall_at_3(service: MemoryService) -> float:
    """Test-set recall@3 with both profiles (and the filler) in one store."""
    hits = sum(case["expect"] in [i.content for i, _ in service.search(case["query"], 3)] for case in CASES["cases"])
    return hits / len(CASES["cases"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000])
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    queries = [c["query"] for c in CASES["cases"]]
    queries = (queries * (args.queries // len(queries) + 1))[: args.queries]
    hybrid = load_encoder() is not None
    modes = [False, True] if hybrid else [False]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"memory recall bench ({len(queries)} queries; encoder {'available' if hybrid else 'NOT installed'}; "
          f"load average {load:.1f} on {os.cpu_count()} CPUs)")
    for size in args.sizes:
        for embeddings in modes:
            label = "hybrid " if embeddings else "lexical"
            with tempfile.TemporaryDirectory() as tmp:
                service = build(Path(tmp), size, embeddings)
                p50, p95, cpu, tokens = latency(service, queries)
                score = recall_at_3(service)
                print(f"{size:>6} items {label}: recall p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  cpu p50 {cpu:5.2f} ms  "
                      f"tokens added/turn {tokens:5.1f} (budget {TOKEN_BUDGET})  test-set recall@3 {score:.3f}")
                service.repo.engine.dispose()


if __name__ == "__main__":
    main()
