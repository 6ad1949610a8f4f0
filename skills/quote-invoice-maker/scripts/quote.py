#!/usr/bin/env python3
"""Totals for a quotation, proforma invoice or receipt, and an Excel copy of it.

Input JSON: {"kind": "报价单", "number": "Q-2026-001", "date": "2026-12-01", "seller": {...}, "buyer": {...},
"currency": "CNY", "tax_rate": 0.06, "tax_inclusive": false, "discount": 0,
"items": [{"name": "...", "qty": 2, "unit": "台", "price": 100}]}
Money is computed with Decimal and rounded half up to the cent per line; tax is computed once on the total.
"""
from __future__ import annotations

import argparse
import json
import sys
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

CENT = Decimal("0.01")


def money(x: Decimal) -> Decimal:
    """Round half up to the cent."""
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def compute(doc: dict) -> dict:
    """Line amounts, subtotal, discount, tax and total."""
    lines = []
    for i, item in enumerate(doc.get("items") or [], 1):
        qty, price = Decimal(str(item.get("qty", 1))), Decimal(str(item["price"]))
        if qty <= 0 or price < 0:
            raise ValueError(f"line {i}: quantity must be positive and price not negative")
        lines.append({"no": i, "name": item["name"], "unit": item.get("unit", ""), "qty": str(qty),
                      "price": str(money(price)), "amount": money(qty * price)})
    if not lines:
        raise ValueError("no line items")
    rate = Decimal(str(doc.get("tax_rate", 0)))
    gross = sum(line["amount"] for line in lines) - money(Decimal(str(doc.get("discount", 0))))
    if doc.get("tax_inclusive"):
        net = money(gross / (1 + rate))
        tax = gross - net
    else:
        net, tax = gross, money(gross * rate)
    return {"lines": [{**line, "amount": str(line["amount"])} for line in lines],
            "subtotal": str(sum(line["amount"] for line in lines)), "discount": str(money(Decimal(str(doc.get("discount", 0))))),
            "net": str(net), "tax_rate": str(rate), "tax": str(tax), "total": str(net + tax)}


def write_xlsx(doc: dict, result: dict, path: Path) -> None:
    """A one-sheet workbook: header block, line table, totals."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = doc.get("kind", "报价单")[:31]
    ws.append([doc.get("kind", "报价单")])
    ws["A1"].font = Font(size=16, bold=True)
    for label, key in (("编号 No.", "number"), ("日期 Date", "date"), ("有效期 Valid until", "valid_until")):
        if doc.get(key):
            ws.append([label, doc[key]])
    for label, key in (("卖方 Seller", "seller"), ("买方 Buyer", "buyer")):
        party = doc.get(key) or {}
        if party:
            ws.append([label, " / ".join(str(v) for v in party.values())])
    ws.append([])
    ws.append(["序号", "项目 Item", "单位", "数量 Qty", "单价 Price", "金额 Amount"])
    for line in result["lines"]:
        ws.append([line["no"], line["name"], line["unit"], float(line["qty"]), float(line["price"]), float(line["amount"])])
    ws.append([])
    for label, key in (("小计 Subtotal", "subtotal"), ("折扣 Discount", "discount"), ("不含税 Net", "net"),
                       (f"税额 Tax ({Decimal(result['tax_rate']) * 100:g}%)", "tax"), ("合计 Total", "total")):
        ws.append(["", "", "", "", label, float(result[key])])
    ws.column_dimensions["B"].width = 36
    ws.column_dimensions["E"].width = 18
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def main(argv: list[str] | None = None) -> None:
    """Compute and optionally write the workbook; print JSON; exit 2 on bad input."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("doc", type=Path, help="the JSON described above")
    p.add_argument("--xlsx", type=Path, help="also write an Excel copy here")
    p.add_argument("--json", action="store_true", help="JSON output (always on)")
    a = p.parse_args(argv)
    try:
        doc = json.loads(a.doc.read_text(encoding="utf-8"))
        result = compute(doc)
        if a.xlsx:
            write_xlsx(doc, result, a.xlsx)
    except (OSError, ValueError, KeyError, InvalidOperation) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps({"ok": True, "currency": doc.get("currency", "CNY"), **result,
                      "xlsx": str(a.xlsx) if a.xlsx else None}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
