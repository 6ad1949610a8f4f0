#!/usr/bin/env python3
"""Subscriptions: monthly and yearly cost, next renewal dates and the ones renewing soon.

Input JSON list (or {"subscriptions": [...]}) of {"name", "price", "cycle": monthly|quarterly|yearly|weekly,
"next_renewal": "YYYY-MM-DD", "currency": "CNY", "auto_renew": true}. Renewal dates in the past roll forward by
whole cycles. Totals are per currency; no exchange rates are applied.
"""
from __future__ import annotations

import argparse
import calendar
import json
import sys
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

PER_YEAR = {"weekly": Decimal(52), "monthly": Decimal(12), "quarterly": Decimal(4), "yearly": Decimal(1)}
MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}
ALIASES = {"月": "monthly", "月付": "monthly", "包月": "monthly", "年": "yearly", "年付": "yearly", "包年": "yearly",
           "季": "quarterly", "季付": "quarterly", "周": "weekly", "annual": "yearly", "month": "monthly", "year": "yearly"}


def add_months(d: date, n: int) -> date:
    """d plus n months, clamped to the month's last day (Jan 31 + 1 month = Feb 28/29)."""
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def next_after(d: date, cycle: str, today: date) -> date:
    """The first renewal on or after today."""
    k = 0
    start = d
    while d < today:
        k += 1
        d = start + timedelta(weeks=k) if cycle == "weekly" else add_months(start, MONTHS[cycle] * k)
    return d


def review(subs: list[dict], today: date, within: int) -> dict:
    """Per-subscription cost and renewal, totals per currency, and renewals within `within` days."""
    rows, totals = [], {}
    for s in subs:
        cycle = ALIASES.get(str(s.get("cycle", "monthly")), str(s.get("cycle", "monthly")))
        if cycle not in PER_YEAR:
            raise ValueError(f"{s.get('name')}: cycle must be weekly, monthly, quarterly or yearly")
        price, cur = Decimal(str(s["price"])), s.get("currency", "CNY")
        yearly = price * PER_YEAR[cycle]
        nxt = next_after(date.fromisoformat(s["next_renewal"]), cycle, today) if s.get("next_renewal") else None
        days = (nxt - today).days if nxt else None
        rows.append({"name": s["name"], "cycle": cycle, "price": str(price), "currency": cur,
                     "monthly_cost": str(q(yearly / 12)), "yearly_cost": str(q(yearly)),
                     "next_renewal": nxt.isoformat() if nxt else None, "days_left": days,
                     "renews_soon": days is not None and days <= within, "auto_renew": s.get("auto_renew", True)})
        t = totals.setdefault(cur, {"monthly": Decimal(0), "yearly": Decimal(0)})
        t["monthly"] += yearly / 12
        t["yearly"] += yearly
    soon = sorted((r for r in rows if r["renews_soon"]), key=lambda r: r["days_left"])
    return {"today": today.isoformat(), "count": len(rows), "subscriptions": rows,
            "totals": {c: {k: str(q(v)) for k, v in t.items()} for c, t in totals.items()},
            "renewing_within_days": within, "renewing_soon": [r["name"] for r in soon]}


def q(x: Decimal) -> Decimal:
    """Round half up to the cent."""
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def main(argv: list[str] | None = None) -> None:
    """Review the list; print JSON; exit 2 on bad input."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("file", type=Path, help="subscriptions JSON")
    p.add_argument("--today", default=date.today().isoformat())
    p.add_argument("--within", type=int, default=7, help="flag renewals this many days ahead")
    p.add_argument("--json", action="store_true", help="JSON output (always on)")
    a = p.parse_args(argv)
    try:
        data = json.loads(a.file.read_text(encoding="utf-8"))
        subs = data["subscriptions"] if isinstance(data, dict) else data
        result = review(subs, date.fromisoformat(a.today), a.within)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps({"ok": True, **result}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
