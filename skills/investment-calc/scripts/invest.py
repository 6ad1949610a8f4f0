#!/usr/bin/env python3
"""Investment arithmetic: compound growth, annualised return (CAGR), XIRR of dated cash flows, regular investing
(定投) and inflation-adjusted value. Standard library only; XIRR uses the Actual/365 convention of spreadsheets."""
from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import date
from pathlib import Path


def compound(principal: float, rate_pct: float, years: float, per_year: int = 1) -> dict:
    """Future value of a lump sum compounded `per_year` times a year."""
    r = rate_pct / 100 / per_year
    fv = principal * (1 + r) ** (per_year * years)
    return {"future_value": round(fv, 2), "gain": round(fv - principal, 2),
            "effective_annual_pct": round(((1 + r) ** per_year - 1) * 100, 6)}


def cagr(start: float, end: float, years: float) -> dict:
    """Annualised growth rate between two values."""
    if start <= 0 or years <= 0:
        raise ValueError("start value and years must be positive")
    return {"cagr_pct": round(((end / start) ** (1 / years) - 1) * 100, 6),
            "total_return_pct": round((end / start - 1) * 100, 6)}


def xnpv(rate: float, flows: list[tuple[date, float]]) -> float:
    """Net present value at an annual rate, discounting by actual days / 365."""
    t0 = flows[0][0]
    return sum(amount / (1 + rate) ** ((d - t0).days / 365) for d, amount in flows)


def xirr(flows: list[tuple[date, float]]) -> float:
    """The annual rate at which the dated cash flows' NPV is zero (bisection on a bracketed root)."""
    flows = sorted(flows)
    if not (any(a < 0 for _, a in flows) and any(a > 0 for _, a in flows)):
        raise ValueError("cash flows need at least one payment (negative) and one receipt (positive)")
    lo, hi = -0.999999, 1.0
    while xnpv(hi, flows) > 0:
        hi *= 2
        if hi > 1e6:
            raise ValueError("no XIRR below 100,000,000%")
    if xnpv(lo, flows) * xnpv(hi, flows) > 0:
        raise ValueError("no sign change: XIRR is undefined for these flows")
    for _ in range(200):
        mid = (lo + hi) / 2
        if (xnpv(mid, flows) > 0) == (xnpv(lo, flows) > 0):
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def read_flows(path: Path) -> list[tuple[date, float]]:
    """date,amount rows (header optional); negative = money put in, positive = money taken out or current value."""
    flows = []
    with path.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.reader(f):
            if len(row) < 2 or not row[0].strip():
                continue
            try:
                flows.append((date.fromisoformat(row[0].strip()), float(row[1].replace(",", ""))))
            except ValueError:
                if flows:  # only a header line may be unreadable
                    raise
    return flows


def plan(monthly: float, rate_pct: float, years: float, initial: float = 0.0) -> dict:
    """Regular monthly investing at the start of each month, compounded monthly."""
    r, n = rate_pct / 100 / 12, round(years * 12)
    value = initial
    for _ in range(n):
        value = (value + monthly) * (1 + r)
    invested = initial + monthly * n
    return {"months": n, "invested": round(invested, 2), "future_value": round(value, 2),
            "gain": round(value - invested, 2)}


def real_value(amount: float, inflation_pct: float, years: float) -> dict:
    """What an amount in `years` is worth in today's money."""
    return {"real_value": round(amount / (1 + inflation_pct / 100) ** years, 2)}


def main(argv: list[str] | None = None) -> None:
    """Run one calculation; print JSON; exit 2 on bad input."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="JSON output (always on)")
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("compound", parents=[common])
    c.add_argument("principal", type=float)
    c.add_argument("rate", type=float, help="annual %%")
    c.add_argument("years", type=float)
    c.add_argument("--per-year", type=int, default=1, help="compounding periods a year (12 = monthly)")
    g = sub.add_parser("cagr", parents=[common])
    g.add_argument("start", type=float)
    g.add_argument("end", type=float)
    g.add_argument("years", type=float)
    x = sub.add_parser("xirr", parents=[common], help="CSV of date,amount")
    x.add_argument("csv", type=Path)
    d = sub.add_parser("plan", parents=[common], help="regular monthly investment (定投)")
    d.add_argument("monthly", type=float)
    d.add_argument("rate", type=float)
    d.add_argument("years", type=float)
    d.add_argument("--initial", type=float, default=0.0)
    r = sub.add_parser("real", parents=[common], help="inflation-adjusted value")
    r.add_argument("amount", type=float)
    r.add_argument("inflation", type=float)
    r.add_argument("years", type=float)
    a = p.parse_args(argv)
    try:
        result = {"compound": lambda: compound(a.principal, a.rate, a.years, a.per_year),
                  "cagr": lambda: cagr(a.start, a.end, a.years),
                  "xirr": lambda: {"xirr": round(xirr(read_flows(a.csv)), 10)},
                  "plan": lambda: plan(a.monthly, a.rate, a.years, a.initial),
                  "real": lambda: real_value(a.amount, a.inflation, a.years)}[a.cmd]()
    except (ValueError, OSError, OverflowError, ZeroDivisionError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps({"ok": True, **result}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
