#!/usr/bin/env python3
"""Mainland China individual income tax (个税): cumulative monthly withholding, annual settlement, year-end bonus.

Rules used: the IIT law as amended 2018 (in force 2019-01-01), basic deduction 5,000 yuan/month (60,000/year),
the 7-bracket annual table for comprehensive income, the monthly-converted table for a separately taxed
year-end bonus (policy extended to 2027-12-31 by 财政部 税务总局公告2023年第30号), and the special additional
deduction amounts raised by 国发〔2023〕13号 (valid from 2023-01-01). Checked for tax years 2023-2026.
"""
from __future__ import annotations

import argparse
import json
import sys
from decimal import ROUND_HALF_UP, Decimal

RULES_YEAR = "2023-2026 (IIT law 2019; deductions per 国发〔2023〕13号; bonus rule to 2027-12-31)"
CENT = Decimal("0.01")
BASIC_MONTHLY = Decimal(5000)
# (upper bound of annual taxable income, rate, quick deduction); None = no upper bound.
ANNUAL_TABLE = [
    (Decimal(36000), Decimal("0.03"), Decimal(0)), (Decimal(144000), Decimal("0.10"), Decimal(2520)),
    (Decimal(300000), Decimal("0.20"), Decimal(16920)), (Decimal(420000), Decimal("0.25"), Decimal(31920)),
    (Decimal(660000), Decimal("0.30"), Decimal(52920)), (Decimal(960000), Decimal("0.35"), Decimal(85920)),
    (None, Decimal("0.45"), Decimal(181920)),
]
# The same brackets divided by 12, for the separately taxed annual bonus.
MONTHLY_TABLE = [
    (Decimal(3000), Decimal("0.03"), Decimal(0)), (Decimal(12000), Decimal("0.10"), Decimal(210)),
    (Decimal(25000), Decimal("0.20"), Decimal(1410)), (Decimal(35000), Decimal("0.25"), Decimal(2660)),
    (Decimal(55000), Decimal("0.30"), Decimal(4410)), (Decimal(80000), Decimal("0.35"), Decimal(7160)),
    (None, Decimal("0.45"), Decimal(15160)),
]
# Monthly amounts of the special additional deductions (专项附加扣除) since 2023-01-01.
SPECIAL = {"child": 2000, "infant": 2000, "continuing_education": 400, "mortgage": 1000,
           "rent": (1500, 1100, 800), "elderly_max": 3000, "elderly_share_max": 1500}


def money(x: Decimal) -> Decimal:
    """Round to the cent, half up, as tax forms do."""
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def bracket(amount: Decimal, table) -> tuple[Decimal, Decimal]:
    """(rate, quick deduction) for an amount in a table."""
    for upper, rate, quick in table:
        if upper is None or amount <= upper:
            return rate, quick
    raise AssertionError("unreachable")


def tax_on(taxable: Decimal, table=ANNUAL_TABLE) -> Decimal:
    """Tax on taxable income by the quick-deduction method; nothing below zero."""
    if taxable <= 0:
        return Decimal(0)
    rate, quick = bracket(taxable, table)
    return money(taxable * rate - quick)


def special_total(a) -> Decimal:
    """Monthly special additional deductions from the flags, checked against the legal caps."""
    elderly = Decimal(str(a.elderly))
    if elderly > SPECIAL["elderly_max"]:
        raise ValueError("赡养老人 is at most 3000/month (an only child); siblings share it, each at most 1500")
    if a.rent and a.rent not in SPECIAL["rent"]:
        raise ValueError("住房租金 is 1500, 1100 or 800 per month depending on the city")
    if a.rent and a.mortgage:
        raise ValueError("住房租金 and 住房贷款利息 cannot both be claimed")
    total = (Decimal(a.children * SPECIAL["child"] + a.infants * SPECIAL["infant"]) + elderly
             + Decimal(a.rent or 0) + (SPECIAL["mortgage"] if a.mortgage else 0)
             + (SPECIAL["continuing_education"] if a.continuing else 0))
    return total + Decimal(str(a.special))


def insurance_of(a) -> Decimal:
    """Employee's monthly social insurance + housing fund: given directly or from a base and rates."""
    if a.insurance is not None:
        return Decimal(str(a.insurance))
    if a.si_base is None:
        return Decimal(0)
    base = Decimal(str(a.si_base))
    rate = Decimal(str(a.pension)) + Decimal(str(a.medical)) + Decimal(str(a.unemployment)) + Decimal(str(a.hf_rate))
    return money(base * rate)


def monthly(a) -> dict:
    """Cumulative withholding month by month (累计预扣法)."""
    salary, ins, spec = Decimal(str(a.salary)), insurance_of(a), special_total(a)
    rows, paid = [], Decimal(0)
    for m in range(1, a.months + 1):
        taxable = max(Decimal(0), (salary - BASIC_MONTHLY - ins - spec) * m)
        cum_tax = tax_on(taxable)
        rate, quick = bracket(taxable, ANNUAL_TABLE)
        this = cum_tax - paid
        paid = cum_tax
        rows.append({"month": m, "cumulative_taxable": str(money(taxable)), "rate": str(rate),
                     "quick_deduction": str(quick), "cumulative_tax": str(cum_tax), "tax": str(this),
                     "take_home": str(money(salary - ins - this))})
    return {"ok": True, "rules": RULES_YEAR, "salary": str(salary), "insurance": str(ins), "special": str(spec),
            "months": rows, "total_tax": str(paid),
            "total_take_home": str(sum(Decimal(r["take_home"]) for r in rows))}


def annual(a) -> dict:
    """Annual settlement (汇算清缴): tax due on the year's comprehensive income versus tax withheld."""
    income = Decimal(str(a.income))
    deductions = (Decimal(60000) + Decimal(str(a.insurance or 0)) + special_total(a) * 12
                  + Decimal(str(a.other)))
    taxable = max(Decimal(0), income - deductions)
    due = tax_on(taxable)
    withheld = Decimal(str(a.withheld))
    return {"ok": True, "rules": RULES_YEAR, "taxable": str(money(taxable)), "tax_due": str(due),
            "withheld": str(money(withheld)), "refund": str(money(max(Decimal(0), withheld - due))),
            "to_pay": str(money(max(Decimal(0), due - withheld)))}


def bonus(a) -> dict:
    """Year-end bonus: taxed separately (单独计税) or added to the year's income (并入综合所得)."""
    b, rest = Decimal(str(a.bonus)), Decimal(str(a.annual_taxable))
    rate, quick = bracket(b / 12, MONTHLY_TABLE)
    separate = money(b * rate - quick) + tax_on(rest)
    combined = tax_on(rest + b)
    best = "separate" if separate <= combined else "combined"
    return {"ok": True, "rules": RULES_YEAR, "bonus_rate": str(rate), "separate_total_tax": str(separate),
            "combined_total_tax": str(combined), "better": best, "saving": str(abs(separate - combined))}


def parser() -> argparse.ArgumentParser:
    """The command line."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="JSON output (always on; accepted for clarity)")
    sub = p.add_subparsers(dest="cmd", required=True)

    def deductions(sp):
        sp.add_argument("--special", type=float, default=0, help="other monthly special deductions, yuan")
        sp.add_argument("--children", type=int, default=0, help="children in education (2000 each)")
        sp.add_argument("--infants", type=int, default=0, help="children under 3 (2000 each)")
        sp.add_argument("--elderly", type=float, default=0, help="support of elderly parents per month (<=3000)")
        sp.add_argument("--rent", type=int, default=0, choices=[0, 1500, 1100, 800])
        sp.add_argument("--mortgage", action="store_true", help="first-home mortgage interest (1000)")
        sp.add_argument("--continuing", action="store_true", help="degree continuing education (400)")

    m = sub.add_parser("monthly", parents=[common], help="cumulative withholding for each month")
    m.add_argument("--salary", type=float, required=True, help="gross monthly salary")
    m.add_argument("--months", type=int, default=12)
    m.add_argument("--insurance", type=float, help="employee social insurance + housing fund per month")
    m.add_argument("--si-base", type=float, help="contribution base; rates below apply")
    m.add_argument("--pension", type=float, default=0.08)
    m.add_argument("--medical", type=float, default=0.02)
    m.add_argument("--unemployment", type=float, default=0.005)
    m.add_argument("--hf-rate", type=float, default=0.0, help="housing fund rate, 0.05-0.12")
    deductions(m)
    m.set_defaults(func=monthly)
    y = sub.add_parser("annual", parents=[common], help="annual settlement")
    y.add_argument("--income", type=float, required=True, help="the year's wages and other comprehensive income")
    y.add_argument("--insurance", type=float, default=0, help="the year's social insurance + housing fund")
    y.add_argument("--other", type=float, default=0, help="other deductions: private pension, commercial health")
    y.add_argument("--withheld", type=float, default=0, help="tax already withheld during the year")
    deductions(y)
    y.set_defaults(func=annual)
    b = sub.add_parser("bonus", parents=[common], help="compare the two ways to tax a year-end bonus")
    b.add_argument("--bonus", type=float, required=True)
    b.add_argument("--annual-taxable", type=float, default=0, help="the year's taxable income without the bonus")
    b.set_defaults(func=bonus)
    return p


def main(argv: list[str] | None = None) -> None:
    """Run one command and print JSON; exit 2 on bad input."""
    args = parser().parse_args(argv)
    try:
        result = args.func(args)
    except (ValueError, ArithmeticError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
