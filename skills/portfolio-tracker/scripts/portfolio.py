#!/usr/bin/env python3
"""Portfolio report: market value, gain/loss and allocation per holding, from a holdings CSV and prices.

Holdings CSV columns: code,name,shares,cost (average cost per share),[currency]. Prices come from a JSON file
{"600519": 1500.0, ...} or, when online, from --price-url with {code} replaced (the reply may be a bare number or
JSON with a "price" field). Money uses Decimal; percentages are rounded to 0.01.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import urllib.request
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

CENT = Decimal("0.01")


def money(x: Decimal) -> Decimal:
    """Round half up to the cent."""
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def read_holdings(path: Path) -> list[dict]:
    """Rows of the holdings CSV with numbers parsed."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    need = {"code", "shares", "cost"}
    if not rows or need - set(rows[0]):
        raise ValueError(f"holdings CSV needs columns {sorted(need)} (and name, currency)")
    return [{**r, "shares": Decimal(r["shares"]), "cost": Decimal(r["cost"])} for r in rows if r["code"].strip()]


def fetch_price(url_template: str, code: str, timeout: float) -> Decimal:
    """One price from a quote URL; bare number or JSON {"price": ...}."""
    with urllib.request.urlopen(url_template.replace("{code}", code), timeout=timeout) as resp:  # noqa: S310
        text = resp.read().decode("utf-8").strip()
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return Decimal(text)
    return Decimal(str(data["price"] if isinstance(data, dict) else data))


def report(holdings: list[dict], prices: dict[str, Decimal]) -> dict:
    """Per-holding value and gain, allocation and totals; holdings without a price are listed apart."""
    rows, missing = [], []
    for h in holdings:
        if h["code"] not in prices:
            missing.append(h["code"])
            continue
        value, cost = money(h["shares"] * prices[h["code"]]), money(h["shares"] * h["cost"])
        rows.append({"code": h["code"], "name": h.get("name", ""), "shares": str(h["shares"]),
                     "price": str(prices[h["code"]]), "value": value, "cost": cost, "gain": value - cost,
                     "gain_pct": pct(value - cost, cost)})
    total_value, total_cost = sum(r["value"] for r in rows), sum(r["cost"] for r in rows)
    for r in rows:
        r["weight_pct"] = pct(r["value"], total_value)
    return {"holdings": [{k: str(v) for k, v in r.items()} for r in rows], "missing_prices": missing,
            "total_value": str(total_value), "total_cost": str(total_cost), "total_gain": str(total_value - total_cost),
            "total_gain_pct": str(pct(total_value - total_cost, total_cost))}


def pct(part: Decimal, whole: Decimal) -> Decimal:
    """part / whole in percent, 0 when whole is 0."""
    return (part / whole * 100).quantize(CENT, rounding=ROUND_HALF_UP) if whole else Decimal(0)


def main(argv: list[str] | None = None) -> None:
    """Build the report; print JSON; exit 2 on bad input, 1 when some prices are missing."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("holdings", type=Path)
    p.add_argument("--prices", type=Path, help="JSON {code: price}")
    p.add_argument("--price-url", help="quote URL with {code}, e.g. http://127.0.0.1:8000/q?code={code}")
    p.add_argument("--timeout", type=float, default=10)
    p.add_argument("--json", action="store_true", help="JSON output (always on)")
    a = p.parse_args(argv)
    try:
        holdings = read_holdings(a.holdings)
        prices = {k: Decimal(str(v)) for k, v in json.loads(a.prices.read_text(encoding="utf-8")).items()} \
            if a.prices else {}
        errors = {}
        for h in holdings:
            if a.price_url and h["code"] not in prices:
                try:
                    prices[h["code"]] = fetch_price(a.price_url, h["code"], a.timeout)
                except (OSError, ValueError, KeyError, InvalidOperation) as exc:
                    errors[h["code"]] = str(exc)
        result = report(holdings, prices)
    except (OSError, ValueError, KeyError, InvalidOperation) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps({"ok": not result["missing_prices"], **result, "fetch_errors": errors},
                     ensure_ascii=False, indent=1))
    sys.exit(1 if result["missing_prices"] else 0)


if __name__ == "__main__":
    main()
