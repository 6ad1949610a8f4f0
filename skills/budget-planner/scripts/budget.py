#!/usr/bin/env python3
"""Budget versus actual spending per category for one month, with overspent and nearly-spent categories flagged.

Budget JSON: {"month": "2026-12", "income": 15000, "categories": {"餐饮": 2000, ...}}. Actuals: a CSV with
date,amount,category columns (an expense-tracker ledger works; rows typed 收入/income are skipped).
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

NEAR = Decimal("0.9")  # 90 % used counts as "near the limit"


def actuals(path: Path, month: str) -> dict[str, Decimal]:
    """Spending per category in the month."""
    spent: dict[str, Decimal] = defaultdict(Decimal)
    with path.open(encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            if not r.get("date", "").startswith(month) or r.get("type", "") in ("收入", "income"):
                continue
            spent[(r.get("category") or "其他").strip()] += abs(Decimal(r["amount"]))
    return spent


def compare(budget: dict, spent: dict[str, Decimal]) -> dict:
    """Per-category status and totals; categories without a budget count as unplanned."""
    rows = []
    for cat, limit in budget["categories"].items():
        limit, used = Decimal(str(limit)), spent.get(cat, Decimal(0))
        ratio = used / limit if limit else Decimal(1 if used else 0)
        status = "over" if used > limit else "near" if ratio >= NEAR else "ok"
        rows.append({"category": cat, "budget": str(limit), "spent": str(used), "remaining": str(limit - used),
                     "used_pct": str(round(ratio * 100, 1)), "status": status})
    unplanned = {c: str(v) for c, v in spent.items() if c not in budget["categories"]}
    total_budget = sum((Decimal(str(v)) for v in budget["categories"].values()), Decimal(0))
    total_spent = sum(spent.values(), Decimal(0))
    over = sorted((r for r in rows if r["status"] == "over"), key=lambda r: Decimal(r["remaining"]))
    out = {"month": budget["month"], "categories": rows, "unplanned": unplanned, "total_budget": str(total_budget),
           "total_spent": str(total_spent), "total_remaining": str(total_budget - total_spent),
           "overspent": [r["category"] for r in over], "near_limit": [r["category"] for r in rows if r["status"] == "near"]}
    if budget.get("income"):
        out["savings"] = str(Decimal(str(budget["income"])) - total_spent)
    return out


def main(argv: list[str] | None = None) -> None:
    """Compare; print JSON; exit 1 when a category is overspent, 2 on bad input."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("budget", type=Path)
    p.add_argument("actuals", type=Path)
    p.add_argument("--month", help="YYYY-MM (default: the budget's month)")
    p.add_argument("--json", action="store_true", help="JSON output (always on)")
    a = p.parse_args(argv)
    try:
        budget = json.loads(a.budget.read_text(encoding="utf-8"))
        budget["month"] = a.month or budget["month"]
        result = compare(budget, actuals(a.actuals, budget["month"]))
    except (OSError, ValueError, KeyError, InvalidOperation) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps({"ok": not result["overspent"], **result}, ensure_ascii=False, indent=1))
    sys.exit(1 if result["overspent"] else 0)


if __name__ == "__main__":
    main()
