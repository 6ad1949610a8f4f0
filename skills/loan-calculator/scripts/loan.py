#!/usr/bin/env python3
"""Loan and mortgage calculator: equal instalments (等额本息) or equal principal (等额本金), combo loans, prepayment.

Monthly rate = annual rate / 12. Each month's interest is the balance times the monthly rate rounded to the cent;
the last payment absorbs rounding so the balance ends at exactly zero. Banks may round differently by a few cents.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from decimal import ROUND_HALF_UP, Decimal, getcontext
from pathlib import Path

getcontext().prec = 40
CENT = Decimal("0.01")


def money(x: Decimal) -> Decimal:
    """Round half up to the cent."""
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def instalment(principal: Decimal, rate: Decimal, n: int) -> Decimal:
    """The level monthly payment of an equal-instalment loan (unrounded)."""
    if n <= 0:
        raise ValueError("the term must be at least one month")
    if rate == 0:
        return principal / n
    growth = (1 + rate) ** n
    return principal * rate * growth / (growth - 1)


def schedule(principal: Decimal, annual_pct: Decimal, n: int, method: str, extra: dict[int, Decimal] | None = None,
             keep: str = "term") -> list[dict]:
    """Month-by-month rows; `extra` maps month -> prepayment made with that month's payment."""
    rate, balance, rows = annual_pct / 100 / 12, principal, []
    pay = money(instalment(principal, rate, n))
    base_principal = principal / n
    month = 0
    while balance > 0:
        month += 1
        left = n - month + 1
        interest = money(balance * rate)
        if method == "equal-principal":
            part = money(min(balance, base_principal))
        else:
            part = min(balance, pay - interest)
        if left <= 1 or part >= balance:
            part = balance
        pre = min((extra or {}).get(month, Decimal(0)), balance - part)
        balance -= part + pre
        rows.append({"month": month, "payment": money(part + interest), "principal": money(part),
                     "interest": interest, "prepayment": pre, "balance": money(balance)})
        if pre and balance > 0:
            pay, base_principal, n = after_prepay(balance, rate, pay, base_principal, n, month, method, keep)
    return rows


def after_prepay(balance, rate, pay, base_principal, n, month, method, keep):
    """New payment / principal share / term after a prepayment: shorter term or lower payment."""
    if keep == "payment":  # keep the term, lower the payment
        left = n - month
        return money(instalment(balance, rate, left)), balance / left, n
    if method == "equal-principal":  # same monthly principal, fewer months
        left = int((balance / base_principal).to_integral_value(rounding="ROUND_CEILING"))
        return pay, base_principal, month + left
    left = 0
    b = balance
    while b > 0:  # same payment, count the months it now takes
        b = money(b * (1 + rate)) - pay
        left += 1
    return pay, base_principal, month + left


def summary(rows: list[dict], principal: Decimal) -> dict:
    """Totals of a schedule."""
    interest = sum(r["interest"] for r in rows)
    return {"principal": str(principal), "months": len(rows), "first_payment": str(rows[0]["payment"]),
            "last_payment": str(rows[-1]["payment"]), "total_interest": str(interest),
            "total_paid": str(principal + interest)}


def write_rows(rows: list[dict], path: Path) -> None:
    """The schedule as .xlsx (openpyxl, part of the app) or .csv."""
    header = ["month", "payment", "principal", "interest", "prepayment", "balance"]
    zh = ["期数", "月供", "本金", "利息", "提前还款", "剩余本金"]
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "还款计划"
        ws.append(zh)
        for r in rows:
            ws.append([r["month"], *(float(r[k]) for k in header[1:])])
        wb.save(path)
        return
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(zh)
        w.writerows([[r[k] for k in header] for r in rows])


def part(label: str, amount: str, rate: str, years: float, args) -> tuple[list[dict], dict]:
    """Schedule and summary of one loan (or one half of a combo)."""
    principal, n = Decimal(amount), round(years * 12)
    extra = {m: Decimal(x) for m, x in (p.split(":") for p in args.prepay)} if label != "fund" else {}
    rows = schedule(principal, Decimal(rate), n, args.method, {int(k): v for k, v in extra.items()}, args.keep)
    info = {"label": label, "rate_pct": rate, "term_months": n, **summary(rows, principal)}
    if extra:
        plain = schedule(principal, Decimal(rate), n, args.method)
        saved = sum(r["interest"] for r in plain) - sum(r["interest"] for r in rows)
        info.update(interest_saved=str(saved), months_saved=len(plain) - len(rows))
    return rows, info


def main(argv: list[str] | None = None) -> None:
    """Compute one loan or a commercial + housing-fund combo; print JSON; exit 2 on bad input."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--amount", required=True, help="loan amount in yuan (commercial part of a combo)")
    p.add_argument("--rate", required=True, help="annual interest rate in percent, e.g. 3.1")
    p.add_argument("--years", type=float, required=True)
    p.add_argument("--method", choices=["equal-instalment", "equal-principal"], default="equal-instalment")
    p.add_argument("--fund-amount", help="housing provident fund (公积金) part of a combo loan")
    p.add_argument("--fund-rate", default="2.6", help="fund rate in percent (2.6 over 5 years since 2025-05-08)")
    p.add_argument("--prepay", nargs="*", default=[], help="MONTH:AMOUNT, e.g. 36:200000")
    p.add_argument("--keep", choices=["term", "payment"], default="term",
                   help="after prepaying: keep the payment and shorten the term (term), or keep the term (payment)")
    p.add_argument("--out", type=Path, help="write the schedule to .xlsx or .csv")
    p.add_argument("--json", action="store_true", help="JSON output (always on)")
    a = p.parse_args(argv)
    try:
        rows, info = part("commercial", a.amount, a.rate, a.years, a)
        parts = [info]
        if a.fund_amount:
            fund_rows, fund_info = part("fund", a.fund_amount, a.fund_rate, a.years, a)
            parts.append(fund_info)
            rows = merge(rows, fund_rows)
        if a.out:
            write_rows(rows, a.out)
    except (ValueError, ArithmeticError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    total = {"first_payment": str(rows[0]["payment"]), "total_interest": str(sum(r["interest"] for r in rows))}
    print(json.dumps({"ok": True, "method": a.method, "parts": parts, "combined": total,
                      "first_months": [{k: str(v) for k, v in r.items()} for r in rows[:3]],
                      "out": str(a.out) if a.out else None}, ensure_ascii=False, indent=1))


def merge(a: list[dict], b: list[dict]) -> list[dict]:
    """Month-by-month sum of two schedules (a combo loan)."""
    out = []
    for i in range(max(len(a), len(b))):
        ra = a[i] if i < len(a) else None
        rb = b[i] if i < len(b) else None
        rows = [r for r in (ra, rb) if r]
        out.append({"month": i + 1, **{k: sum(r[k] for r in rows) for k in
                                       ("payment", "principal", "interest", "prepayment", "balance")}})
    return out


if __name__ == "__main__":
    main()
