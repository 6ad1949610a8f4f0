#!/usr/bin/env python3
"""A local money ledger (CSV): add entries with automatic categories, then report totals by month and category.

Ledger columns: date,type,amount,category,note — type is 支出/expense or 收入/income, amount positive yuan.
Money is summed with Decimal. The chart (optional) needs matplotlib, which the app ships.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

FIELDS = ["date", "type", "amount", "category", "note"]
# First matching word wins; the user can always pass --category.
RULES = [
    ("餐饮", "饭 餐 外卖 美团 饿了么 咖啡 奶茶 星巴克 瑞幸 麦当劳 肯德基 早餐 午餐 晚餐 火锅 零食 lunch dinner coffee restaurant"),
    ("交通", "地铁 公交 打车 滴滴 高铁 火车 机票 航班 加油 停车 过路费 taxi uber metro bus fuel parking"),
    ("购物", "淘宝 京东 拼多多 超市 衣服 鞋 日用 网购 amazon shopping clothes"),
    ("居住", "房租 租金 物业 水费 电费 燃气 宽带 rent utilities electricity"),
    ("通讯", "话费 流量 手机费 phone"),
    ("医疗", "医院 药 挂号 体检 牙 doctor pharmacy"),
    ("娱乐", "电影 游戏 KTV 演唱会 会员 视频 音乐 movie game concert"),
    ("教育", "书 课程 培训 学费 考试 book course tuition"),
    ("人情", "红包 礼物 份子 请客 gift"),
    ("收入", "工资 奖金 报销 利息 分红 salary bonus refund"),
]


def categorise(note: str) -> str:
    """A category from keywords in the note, else 其他."""
    low = note.lower()
    return next((cat for cat, words in RULES if any(w.lower() in low for w in words.split())), "其他")


def read(path: Path) -> list[dict]:
    """All entries of the ledger (empty when it does not exist yet)."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [{**r, "amount": Decimal(r["amount"])} for r in csv.DictReader(f) if r.get("amount")]


def add(path: Path, entries: list[dict]) -> list[dict]:
    """Append entries, filling the category and type; returns what was written."""
    new = path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    written = []
    with path.open("a", encoding="utf-8-sig" if not new else "utf-8", newline="") as f:
        w = csv.DictWriter(f, FIELDS)
        if not new:
            w.writeheader()
        for e in entries:
            amount = Decimal(str(e["amount"]))
            kind = e.get("type") or ("收入" if amount < 0 or categorise(e.get("note", "")) == "收入" else "支出")
            row = {"date": e.get("date") or date.today().isoformat(), "type": normal_type(kind),
                   "amount": str(abs(amount)), "category": e.get("category") or categorise(e.get("note", "")),
                   "note": e.get("note", "")}
            date.fromisoformat(row["date"])
            w.writerow(row)
            written.append(row)
    return written


def normal_type(kind: str) -> str:
    """支出 or 收入."""
    return "收入" if kind.lower() in ("收入", "income", "in") else "支出"


def report(rows: list[dict], month: str | None) -> dict:
    """Totals per month and per category (spending), income, and the biggest items."""
    if month:
        rows = [r for r in rows if r["date"].startswith(month)]
    spend = [r for r in rows if normal_type(r["type"]) == "支出"]
    by_cat, by_month = defaultdict(Decimal), defaultdict(Decimal)
    for r in spend:
        by_cat[r["category"] or "其他"] += r["amount"]
        by_month[r["date"][:7]] += r["amount"]
    income = sum((r["amount"] for r in rows if normal_type(r["type"]) == "收入"), Decimal(0))
    total = sum(by_cat.values(), Decimal(0))
    cats = sorted(by_cat.items(), key=lambda kv: -kv[1])
    return {"period": month or "all", "entries": len(rows), "spending": str(total), "income": str(income),
            "net": str(income - total),
            "by_category": [{"category": c, "amount": str(v), "share_pct": str(round(v / total * 100, 1))}
                            for c, v in cats],
            "by_month": {m: str(v) for m, v in sorted(by_month.items())},
            "largest": [{k: str(v) for k, v in r.items()} for r in sorted(spend, key=lambda r: -r["amount"])[:5]]}


def chart(result: dict, out: Path) -> None:
    """Pie of categories (one month) or bars per month (several)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["font.sans-serif"] = ["Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "SimHei", "DejaVu Sans"]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    if len(result["by_month"]) > 1:
        ax.bar(list(result["by_month"]), [float(v) for v in result["by_month"].values()])
        ax.set_ylabel("支出 / spending")
    else:
        ax.pie([float(c["amount"]) for c in result["by_category"]],
               labels=[c["category"] for c in result["by_category"]], autopct="%1.0f%%")
    ax.set_title(f"支出 {result['period']}")
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=120, bbox_inches="tight")
    plt.close(fig)


def main(argv: list[str] | None = None) -> None:
    """add or report; print JSON; exit 2 on bad input."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--ledger", type=Path, required=True, help="the ledger CSV")
    common.add_argument("--json", action="store_true", help="JSON output (always on)")
    sub = p.add_subparsers(dest="cmd", required=True)
    ad = sub.add_parser("add", parents=[common])
    ad.add_argument("entries", help='JSON list, e.g. [{"date":"2026-12-01","amount":35,"note":"午餐"}]')
    rp = sub.add_parser("report", parents=[common])
    rp.add_argument("--month", help="YYYY-MM; all months when left out")
    rp.add_argument("--chart", type=Path, help="save a PNG chart here")
    a = p.parse_args(argv)
    try:
        if a.cmd == "add":
            result = {"added": add(a.ledger, json.loads(a.entries))}
        else:
            result = report(read(a.ledger), a.month)
            if a.chart and result["by_category"]:
                chart(result, a.chart)
                result["chart"] = str(a.chart)
    except (OSError, ValueError, KeyError, InvalidOperation) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps({"ok": True, **result}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
