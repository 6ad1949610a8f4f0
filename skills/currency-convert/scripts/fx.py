#!/usr/bin/env python3
"""Currency conversion with exact decimal arithmetic, at a rate the user gives or one fetched online.

Results are rounded half-up to the currency's minor unit (JPY and KRW have none). A live rate comes from a public
no-key API (default https://open.er-api.com/v6/latest/<FROM>); its source and update time are reported.
"""
from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DEFAULT_API = "https://open.er-api.com/v6/latest"
NO_MINOR = {"JPY", "KRW", "VND", "IDR", "CLP", "ISK", "HUF", "TWD_CASH"}
ALIASES = {"人民币": "CNY", "元": "CNY", "rmb": "CNY", "美元": "USD", "美金": "USD", "欧元": "EUR", "日元": "JPY",
           "日币": "JPY", "港币": "HKD", "港元": "HKD", "英镑": "GBP", "韩元": "KRW", "澳元": "AUD", "加元": "CAD",
           "新台币": "TWD", "台币": "TWD", "新加坡元": "SGD", "瑞郎": "CHF", "瑞士法郎": "CHF", "泰铢": "THB",
           "卢布": "RUB", "澳门元": "MOP", "新西兰元": "NZD", "越南盾": "VND", "马来西亚林吉特": "MYR", "印度卢比": "INR"}


def code(name: str) -> str:
    c = ALIASES.get(name.strip(), ALIASES.get(name.strip().lower(), name.strip().upper()))
    if len(c) != 3 or not c.isalpha():
        raise ValueError(f"unknown currency {name!r}; use a 3-letter code such as USD")
    return c


def minor(currency: str) -> Decimal:
    return Decimal(1) if currency in NO_MINOR else Decimal("0.01")


def convert(amount: Decimal, rate: Decimal, target: str) -> Decimal:
    """amount × rate, rounded half-up to the target currency's minor unit."""
    return (amount * rate).quantize(minor(target), rounding=ROUND_HALF_UP)


def live_rate(src: str, dst: str, api: str, timeout: float) -> dict:
    """Rate 1 src = x dst from the API, with its update time."""
    req = urllib.request.Request(f"{api.rstrip('/')}/{src}", headers={"User-Agent": "xiaodazi-fx/1"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - a fixed https API or the user's choice
        data = json.loads(resp.read().decode("utf-8"))
    if data.get("result") not in (None, "success") or dst not in data.get("rates", {}):
        raise ValueError(f"the rate service gave no {src}->{dst} rate ({data.get('error-type') or data.get('result')})")
    return {"rate": Decimal(str(data["rates"][dst])), "source": api,
            "updated": data.get("time_last_update_utc") or data.get("date") or ""}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("amount", help="e.g. 100 or 1,299.50")
    ap.add_argument("src", help="from currency: code or Chinese name (USD, 美元)")
    ap.add_argument("dst", nargs="+", help="one or more target currencies")
    ap.add_argument("--rate", action="append", help="1 SRC = RATE DST, given by the user (one per target)")
    ap.add_argument("--inverse", action="store_true", help="the given rate is DST→SRC (e.g. a bank's 'CNY per 100 JPY' / 100)")
    ap.add_argument("--live", action="store_true", help="fetch today's rate online")
    ap.add_argument("--api", default=DEFAULT_API, help="rate API base URL")
    ap.add_argument("--timeout", type=float, default=15)
    ap.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    try:
        amount = Decimal(args.amount.replace(",", ""))
        src, targets = code(args.src), [code(d) for d in args.dst]
        if not args.live and (not args.rate or len(args.rate) != len(targets)):
            raise ValueError("give --rate once per target currency, or use --live")
        rows = []
        for i, dst in enumerate(targets):
            if args.live:
                info = live_rate(src, dst, args.api, args.timeout)
            else:
                rate = Decimal(args.rate[i])
                info = {"rate": (Decimal(1) / rate) if args.inverse else rate, "source": "given by the user", "updated": ""}
            rows.append({"currency": dst, "amount": str(convert(amount, info["rate"], dst)), "rate": str(info["rate"]),
                         "rate_source": info["source"], "rate_time": info["updated"]})
    except (ValueError, InvalidOperation, ZeroDivisionError) as exc:
        print(json.dumps({"ok": False, "error": str(exc) or "invalid number"}, ensure_ascii=False))
        return 2
    except OSError as exc:
        print(json.dumps({"ok": False, "error": f"could not reach the rate service: {exc}"}, ensure_ascii=False))
        return 1
    print(json.dumps({"ok": True, "from": src, "amount": str(amount), "results": rows}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
