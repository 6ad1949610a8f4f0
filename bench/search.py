"""Message search over 100,000 stored messages: SQLite (FTS5 trigram + LIKE for short terms) and, when the
PostgreSQL server programs are installed, PostgreSQL (a throwaway cluster on loopback). p50/p95.

Fills a fresh database through the real schema (the search triggers index every row), then times
Store.search for Chinese, English and mixed queries. Prints figures; never fails on time.
Run: .venv/bin/python bench/search.py [--messages 100000] [--rounds 5] [--no-postgres]
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
sys.path.insert(0, str(ROOT))
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
    if store.engine.dialect.name.startswith("postgres"):  # steady state: autovacuum would have analysed by now
        with store.engine.connect() as conn:
            conn.execute(text("ANALYZE messages"))
            conn.commit()
    return time.perf_counter() - started


def measure(url: str, backups: Path, count: int, rounds: int) -> tuple[float, float, float]:
    """Fill the database at `url` with `count` messages; (fill seconds, p50 ms, p95 ms) of search."""
    store = Store.open(url, backups)
    took = fill(store, count)
    store.search("预热", 20)
    samples = []
    for _ in range(rounds):
        for q in QUERIES:
            began = time.perf_counter()
            store.search(q, 20)
            samples.append((time.perf_counter() - began) * 1000)
    store.close()
    samples.sort()
    return took, statistics.median(samples), samples[int(len(samples) * 0.95)]


def postgres(count: int, rounds: int) -> str:
    """The same bench on a throwaway PostgreSQL cluster, or why it was skipped."""
    from tests.support.postgres import PostgresServer, create_database

    try:
        server = PostgresServer().start()
    except (RuntimeError, KeyError, OSError) as exc:
        return f"search over {count} messages (PostgreSQL): skipped ({str(exc).splitlines()[0]})"
    try:
        url = create_database(server.admin_url, "bench_search")
        with tempfile.TemporaryDirectory() as tmp:
            took, p50, p95 = measure(url, Path(tmp), count, rounds)
    finally:
        server.stop()
    return (f"search over {count} messages (PostgreSQL, filled in {took:.1f} s): p50 {p50:.2f} ms, "
            f"p95 {p95:.2f} ms ({len(QUERIES)} queries x {rounds})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        took, p50, p95 = measure(f"sqlite:///{tmp}/bench.db", Path(tmp) / "backups", args.messages, args.rounds)
        size_mb = Path(f"{tmp}/bench.db").stat().st_size / 1e6
    print(f"search over {args.messages} messages (SQLite, {size_mb:.0f} MB file, filled in {took:.1f} s): "
          f"p50 {p50:.2f} ms, p95 {p95:.2f} ms ({len(QUERIES)} queries x {args.rounds})")
    if not args.no_postgres:
        print(postgres(args.messages, args.rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
