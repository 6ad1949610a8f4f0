#!/usr/bin/env python3
"""Exact unit conversion (rational arithmetic, no floating-point drift): length, mass, volume, area, temperature,
speed, data size, time, cooking measures and traditional Chinese units (斤, 两, 亩, 尺, 寸, 里 …).

US customary cups/spoons/gallons by default; imperial ones have their own names (imp-gal, imp-pint).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction as F

INCH = F(254, 10000)  # metres, exact by the 1959 agreement
POUND = F(45359237, 10**8)  # kilograms, exact
US_GALLON = 231 * INCH**3 * 1000  # litres (231 cubic inches)
# unit → (dimension, factor to the base unit: m, kg, L, m², s, m/s, byte)
UNITS: dict[str, tuple[str, F]] = {
    "m": ("length", F(1)), "km": ("length", F(1000)), "cm": ("length", F(1, 100)), "mm": ("length", F(1, 1000)),
    "um": ("length", F(1, 10**6)), "nm": ("length", F(1, 10**9)), "in": ("length", INCH), "ft": ("length", 12 * INCH),
    "yd": ("length", 36 * INCH), "mi": ("length", 63360 * INCH), "nmi": ("length", F(1852)),
    "li": ("length", F(500)), "zhang": ("length", F(10, 3)), "chi": ("length", F(1, 3)), "cun": ("length", F(1, 30)),
    "kg": ("mass", F(1)), "g": ("mass", F(1, 1000)), "mg": ("mass", F(1, 10**6)), "t": ("mass", F(1000)),
    "lb": ("mass", POUND), "oz": ("mass", POUND / 16), "st": ("mass", 14 * POUND), "ct": ("mass", F(1, 5000)),
    "jin": ("mass", F(1, 2)), "liang": ("mass", F(1, 20)), "qian": ("mass", F(1, 200)), "dan": ("mass", F(50)),
    "tw-jin": ("mass", F(3, 5)),
    "l": ("volume", F(1)), "ml": ("volume", F(1, 1000)), "m3": ("volume", F(1000)), "cm3": ("volume", F(1, 1000)),
    "gal": ("volume", US_GALLON), "qt": ("volume", US_GALLON / 4), "pt": ("volume", US_GALLON / 8),
    "cup": ("volume", US_GALLON / 16), "floz": ("volume", US_GALLON / 128), "tbsp": ("volume", US_GALLON / 256),
    "tsp": ("volume", US_GALLON / 768), "imp-gal": ("volume", F(454609, 100000)), "imp-pint": ("volume", F(454609, 800000)),
    "metric-cup": ("volume", F(1, 4)), "sheng": ("volume", F(1)),
    "m2": ("area", F(1)), "km2": ("area", F(10**6)), "cm2": ("area", F(1, 10**4)), "ha": ("area", F(10**4)),
    "acre": ("area", 43560 * (12 * INCH) ** 2), "ft2": ("area", (12 * INCH) ** 2), "in2": ("area", INCH**2),
    "mi2": ("area", (63360 * INCH) ** 2), "mu": ("area", F(10000, 15)), "qing": ("area", F(10**6, 15)),
    "ping": ("area", F(400, 121)),
    "s": ("time", F(1)), "min": ("time", F(60)), "h": ("time", F(3600)), "day": ("time", F(86400)),
    "week": ("time", F(604800)), "ms": ("time", F(1, 1000)),
    "m/s": ("speed", F(1)), "km/h": ("speed", F(1000, 3600)), "mph": ("speed", 63360 * INCH / 3600),
    "knot": ("speed", F(1852, 3600)), "ft/s": ("speed", 12 * INCH),
    "b": ("data", F(1)), "bit": ("data", F(1, 8)), "kb": ("data", F(1000)), "mb": ("data", F(10**6)),
    "gb": ("data", F(10**9)), "tb": ("data", F(10**12)), "kib": ("data", F(1024)), "mib": ("data", F(1024**2)),
    "gib": ("data", F(1024**3)), "tib": ("data", F(1024**4)), "mbit": ("data", F(10**6, 8)), "gbit": ("data", F(10**9, 8)),
}
TEMPS = {"c", "f", "k"}
ALIASES = {
    "米": "m", "公里": "km", "千米": "km", "厘米": "cm", "毫米": "mm", "微米": "um", "纳米": "nm", "英寸": "in", "inch": "in",
    "inches": "in", "英尺": "ft", "foot": "ft", "feet": "ft", "码": "yd", "yard": "yd", "yards": "yd", "英里": "mi",
    "mile": "mi", "miles": "mi", "海里": "nmi", "里": "li", "丈": "zhang", "尺": "chi", "市尺": "chi", "寸": "cun",
    "公斤": "kg", "千克": "kg", "克": "g", "毫克": "mg", "吨": "t", "磅": "lb", "pound": "lb", "pounds": "lb", "lbs": "lb",
    "盎司": "oz", "ounce": "oz", "ounces": "oz", "stone": "st", "克拉": "ct", "斤": "jin", "市斤": "jin", "两": "liang",
    "钱": "qian", "担": "dan", "台斤": "tw-jin", "升": "l", "liter": "l", "litre": "l", "liters": "l", "litres": "l",
    "毫升": "ml", "立方米": "m3", "加仑": "gal", "gallon": "gal", "gallons": "gal", "夸脱": "qt", "品脱": "pt", "杯": "cup",
    "cups": "cup", "汤匙": "tbsp", "大勺": "tbsp", "tablespoon": "tbsp", "tablespoons": "tbsp", "茶匙": "tsp",
    "小勺": "tsp", "teaspoon": "tsp", "teaspoons": "tsp", "fl-oz": "floz", "液量盎司": "floz", "平方米": "m2",
    "平米": "m2", "sqm": "m2", "平方公里": "km2", "平方厘米": "cm2", "公顷": "ha", "hectare": "ha", "英亩": "acre",
    "acres": "acre", "平方英尺": "ft2", "sqft": "ft2", "平方英寸": "in2", "平方英里": "mi2", "亩": "mu", "顷": "qing",
    "坪": "ping", "秒": "s", "分钟": "min", "分": "min", "小时": "h", "hour": "h", "hours": "h", "天": "day", "days": "day",
    "周": "week", "weeks": "week", "毫秒": "ms", "kmh": "km/h", "kph": "km/h", "公里每小时": "km/h", "米每秒": "m/s",
    "英里每小时": "mph", "节": "knot", "knots": "knot", "byte": "b", "bytes": "b", "字节": "b", "bits": "bit",
    "摄氏度": "c", "摄氏": "c", "°c": "c", "℃": "c", "celsius": "c", "华氏度": "f", "华氏": "f", "°f": "f", "℉": "f",
    "fahrenheit": "f", "开尔文": "k", "kelvin": "k",
}


def unit(name: str) -> str:
    """Canonical unit key for a name in English, Chinese or symbol form."""
    key = name.strip().lower().replace("²", "2").replace("³", "3").replace("μ", "u")
    key = ALIASES.get(key, ALIASES.get(name.strip(), key))
    if key not in UNITS and key not in TEMPS:
        raise ValueError(f"unknown unit {name!r}")
    return key


def to_kelvin(v: F, u: str) -> F:
    return v + F(27315, 100) if u == "c" else (v - 32) * F(5, 9) + F(27315, 100) if u == "f" else v


def from_kelvin(k: F, u: str) -> F:
    return k - F(27315, 100) if u == "c" else (k - F(27315, 100)) * F(9, 5) + 32 if u == "f" else k


def convert(value: F, src: str, dst: str) -> F:
    """Exact conversion between two units of the same dimension."""
    a, b = unit(src), unit(dst)
    if a in TEMPS or b in TEMPS:
        if not (a in TEMPS and b in TEMPS):
            raise ValueError("temperature converts only to another temperature unit")
        return from_kelvin(to_kelvin(value, a), b)
    if UNITS[a][0] != UNITS[b][0]:
        raise ValueError(f"cannot convert {UNITS[a][0]} ({src}) to {UNITS[b][0]} ({dst})")
    return value * UNITS[a][1] / UNITS[b][1]


def show(x: F, digits: int) -> str:
    """Rounded to `digits` significant digits, without exponent or trailing zeros."""
    if x == 0:
        return "0"
    with localcontext() as ctx:
        ctx.prec = 60
        d = Decimal(x.numerator) / Decimal(x.denominator)
        q = d.quantize(Decimal(1).scaleb(d.adjusted() - digits + 1), rounding=ROUND_HALF_EVEN)
        text = format(q.normalize(), "f")
    return text


def parse_value(text: str) -> F:
    """'5', '1.75', '3/4' or '1 1/2' as an exact fraction."""
    parts = text.strip().replace(",", "").split()
    return sum((F(p) for p in parts), F(0))


def parse_phrase(phrase: str) -> tuple[str, str, str]:
    """'5 miles to km' / '3斤是多少克' → (value, from, to)."""
    m = re.match(r"^\s*([-+]?[\d.,/ ]*\d)\s*(.+?)\s*(?:to|in|into|->|=|换算成|换成|是多少|等于多少|等于|合)\s*(.+?)[?？]?\s*$", phrase, re.I)
    if not m:
        raise ValueError("write it like '5 miles to km' or '3 斤 to g'")
    return m.group(1), m.group(2), m.group(3)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("value", help="number (5, 1.5, 3/4) or a whole phrase such as '5 miles to km'")
    ap.add_argument("src", nargs="?", help="from unit, e.g. mi, 斤, °F")
    ap.add_argument("dst", nargs="*", help="one or more target units")
    ap.add_argument("--digits", type=int, default=6, help="significant digits shown (the exact value is also given)")
    ap.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    try:
        if args.src is None:
            value, src, dst = parse_phrase(args.value)
            targets = [dst]
        else:
            value, src, targets = args.value, args.src, args.dst
        if not targets:
            raise ValueError("give a target unit")
        v = parse_value(value)
        rows = []
        for t in targets:
            r = convert(v, src, t)
            rows.append({"to": t, "unit": unit(t), "value": show(r, args.digits),
                         "exact": str(r) if r.denominator < 10**6 else None})
    except (ValueError, ZeroDivisionError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        return 2
    kind = "temperature" if unit(src) in TEMPS else UNITS[unit(src)][0]
    print(json.dumps({"ok": True, "input": f"{value} {src}", "dimension": kind, "results": rows}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
