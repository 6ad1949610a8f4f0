"""Message search over 100,000 stored messages (SQLite FTS5 trigram + LIKE for short terms): p50/p95.

Fills a fresh database through the real schema (the FTS triggers index every row), then times
Store.search for Chinese, English and mixed queries. Prints figures; never fails on time.
Run: .venv/bin/python bench/search.py [--messages 100000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import text  # noqa: E402

from xiaodazi.storage.repo import Store  # noqa: E402

ZH = ["帮我整理一下桌面", "把这份合同翻译成英文", "下周三的会议改到下午", "季度预算表格需要更新", "提醒我给妈妈打电话",
      "这张发票的金额不对", "把照片按日期归档", "写一份项目周报", "查一下明天上海的天气", "合并这三个PDF文件"]
EN = ["please rename the invoices by date", "summarise the meeting notes", "draft an email to the landlord",
      "convert the spreadsheet to a chart", "find the contract with Acme", "book a table for friday",
      "backup the photos folder", "translate this paragraph", "compare the two reports", "plan a trip to Hangzhou"]
QUERIES = ["整理", "合同 翻译", "季度预算", "invoice", "meeting notes", "Hangzhou trip", "发票 金额", "PDF", "不存在的词语组合",
           "photos folder"]


def fill(store: Store, count: int, seed: int = 3) -> float:
    """`count` messages in 1,000 conversations, inserted in batches; returns seconds taken."""
    rng = random.Random(seed)
    started = time.perf_counter()
    conversations = [store.create_conversation(title=f"对话 {i}").id for i in range(1000)]
    rows = [{"c": rng.choice(conversations), "r": rng.choice(("user", "assistant")),
             "t": f"{rng.choice(ZH)}，{rng.choice(EN)} #{i} " + rng.choice(ZH + EN)} for i in range(count)]
    with store.engine.begin() as conn:
        conn.execute(text("INSERT INTO messages (conversation_id, role, content, status, created_at, updated_at) "
                          "VALUES (:c, :r, :t, 'complete', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"), rows)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite:///{tmp}/bench.db", Path(tmp) / "backups")
        took = fill(store, args.messages)
        store.search("预热", 20)
        samples = []
        for _ in range(args.rounds):
            for q in QUERIES:
                began = time.perf_counter()
                store.search(q, 20)
                samples.append((time.perf_counter() - began) * 1000)
        samples.sort()
        size_mb = Path(f"{tmp}/bench.db").stat().st_size / 1e6
        store.close()
    print(f"search over {args.messages} messages (SQLite, {size_mb:.0f} MB file, filled in {took:.1f} s): "
          f"p50 {statistics.median(samples):.2f} ms, p95 {samples[int(len(samples) * 0.95)]:.2f} ms "
          f"({len(QUERIES)} queries x {args.rounds})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
