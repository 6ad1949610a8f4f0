#!/usr/bin/env python3
"""Check mainland resident ID numbers (GB 11643-1999), unified social credit codes (GB 32100-2015) and bank cards (Luhn).

Region decoding covers provinces only (the first two digits); county codes change over time, so the full six-digit code
is reported but not named. Exit code 0 = every number valid, 1 = at least one invalid, 2 = bad input.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from datetime import date
from pathlib import Path

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"  # index = weighted sum mod 11
PROVINCES = {
    "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古", "21": "辽宁", "22": "吉林", "23": "黑龙江",
    "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西", "37": "山东", "41": "河南",
    "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南", "50": "重庆", "51": "四川", "52": "贵州",
    "53": "云南", "54": "西藏", "61": "陕西", "62": "甘肃", "63": "青海", "64": "宁夏", "65": "新疆", "71": "台湾",
    "81": "香港（居住证）", "82": "澳门（居住证）", "83": "台湾（居住证）",
}
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
REGISTRARS = {"1": "机构编制", "5": "民政", "9": "市场监管（工商）", "Y": "其他", "2": "外交", "3": "司法行政",
              "4": "文化", "6": "旅游", "7": "宗教", "8": "工会", "A": "中央军委改革和编制办公室", "N": "农业"}


def id_check_char(first17: str) -> str:
    """The 18th character of a resident ID number."""
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def check_id(raw: str) -> dict:
    """Validate an 18-digit (or old 15-digit) resident ID and decode birth date, gender and province."""
    s = raw.strip().upper().replace(" ", "")
    if re.fullmatch(r"\d{15}", s):  # pre-1999 numbers: 2-digit year, no check character
        s = s[:6] + "19" + s[6:]
        s += id_check_char(s)
        upgraded = s
    else:
        upgraded = None
    if not re.fullmatch(r"\d{17}[\dX]", s):
        return {"input": raw, "type": "id", "valid": False, "reason": "needs 18 characters: 17 digits + digit or X"}
    out = {"input": raw, "type": "id", "region_code": s[:6], "province": PROVINCES.get(s[:2], "unknown")}
    if upgraded:
        out["upgraded_18"] = upgraded
    try:
        born = date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return {**out, "valid": False, "reason": f"birth date {s[6:14]} does not exist"}
    if born > date.today() or born.year < 1870:
        return {**out, "valid": False, "reason": f"birth date {born} is impossible"}
    expected = id_check_char(s[:17])
    out.update(birth_date=born.isoformat(), gender="男 male" if int(s[16]) % 2 else "女 female")
    if s[:2] not in PROVINCES:
        return {**out, "valid": False, "reason": f"{s[:2]} is not a province code"}
    if s[17] != expected:
        return {**out, "valid": False, "reason": f"check character should be {expected}, not {s[17]}"}
    return {**out, "valid": True}


def check_uscc(raw: str) -> dict:
    """Validate an 18-character unified social credit code and its embedded organisation code."""
    s = raw.strip().upper().replace(" ", "")
    if len(s) != 18 or any(c not in USCC_CHARS for c in s):
        return {"input": raw, "type": "uscc", "valid": False,
                "reason": "needs 18 characters from 0-9 and A-Y without I, O, S, V, Z"}
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(s[:17], USCC_WEIGHTS, strict=True))
    expected = USCC_CHARS[(31 - total % 31) % 31]
    out = {"input": raw, "type": "uscc", "registrar": REGISTRARS.get(s[0], "unknown"), "region_code": s[2:8],
           "province": PROVINCES.get(s[2:4], "unknown"), "organization_code": f"{s[8:16]}-{s[16]}"}
    if s[17] != expected:
        return {**out, "valid": False, "reason": f"check character should be {expected}, not {s[17]}"}
    return {**out, "valid": True, "organization_code_valid": org_code_ok(s[8:17])}


def org_code_ok(code: str) -> bool:
    """GB 11714 organisation code check (the 9 characters inside a credit code)."""
    if not re.fullmatch(r"[0-9A-Z]{8}[0-9X]", code):
        return False
    value = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(code[:8], ORG_WEIGHTS, strict=True))
    c = 11 - value % 11
    return code[8] == {10: "X", 11: "0"}.get(c, str(c))


def check_bank(raw: str) -> dict:
    """Luhn check of a bank card number (most UnionPay debit and credit cards use it)."""
    s = re.sub(r"[\s-]", "", raw)
    if not re.fullmatch(r"\d{12,19}", s):
        return {"input": raw, "type": "bank", "valid": False, "reason": "needs 12-19 digits"}
    total = 0
    for i, ch in enumerate(reversed(s)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    ok = total % 10 == 0
    return {"input": raw, "type": "bank", "valid": ok, "unionpay_prefix": s.startswith("62"),
            **({} if ok else {"reason": "Luhn checksum fails (a typo, or a card that does not use Luhn)"})}


CHECKS = {"id": check_id, "uscc": check_uscc, "bank": check_bank}


def guess(value: str) -> str:
    """Which kind of number a value looks like."""
    s = re.sub(r"[\s-]", "", value).upper()
    if len(s) == 18 and re.search(r"[A-WYZ]", s[:17]):
        return "uscc"
    if re.fullmatch(r"\d{17}[\dX]|\d{15}", s) and s[:2] in PROVINCES:
        return "id"
    return "uscc" if len(s) == 18 and not s.isdigit() else "bank"


def from_csv(path: Path, column: str) -> list[str]:
    """The values of one column of a CSV file (UTF-8 or with BOM)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    if rows and column not in rows[0]:
        raise ValueError(f"column {column!r} not in {list(rows[0])}")
    return [r[column] for r in rows if r[column].strip()]


def main(argv: list[str] | None = None) -> None:
    """Check numbers given as arguments or in a CSV column; print JSON."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("values", nargs="*", help="numbers to check")
    p.add_argument("--type", choices=["auto", *CHECKS], default="auto")
    p.add_argument("--csv", type=Path, help="check a column of this CSV file instead")
    p.add_argument("--column", default="身份证号")
    p.add_argument("--json", action="store_true", help="JSON output (always on)")
    a = p.parse_args(argv)
    try:
        values = a.values + (from_csv(a.csv, a.column) if a.csv else [])
    except (OSError, ValueError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    results = [CHECKS[guess(v) if a.type == "auto" else a.type](v) for v in values]
    invalid = sum(not r["valid"] for r in results)
    print(json.dumps({"ok": invalid == 0, "checked": len(results), "invalid": invalid, "results": results},
                     ensure_ascii=False, indent=1))
    sys.exit(0 if invalid == 0 else 1)


if __name__ == "__main__":
    main()
