#!/usr/bin/env python3
"""RMB amounts in Chinese uppercase numerals (大写金额) and back; Chinese <-> Arabic numerals.

Writing rules follow the People's Bank of China 《支付结算办法》 (1997) for cheques and receipts: 壹贰叁肆伍陆柒捌玖拾佰仟万亿,
"整" after 元 when there are no 角/分, no "整" after 分, 零 for gaps ("壹仟零壹元整", "壹拾元零伍分"), 壹拾 written in full.
"""
from __future__ import annotations

import argparse
import json
import sys
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

UPPER = "零壹贰叁肆伍陆柒捌玖"
LOWER = "零一二三四五六七八九"
SMALL_UNITS = ("", "拾", "佰", "仟")
LOWER_SMALL = ("", "十", "百", "千")
BIG_UNITS = ("", "万", "亿", "万亿")
DIGIT_OF = {**{c: i for i, c in enumerate(UPPER)}, **{c: i for i, c in enumerate(LOWER)}, "〇": 0, "两": 2, "俩": 2,
            **{str(i): i for i in range(10)}}
UNIT_OF = {"拾": 10, "十": 10, "佰": 100, "百": 100, "仟": 1000, "千": 1000}
BIG_OF = {"万": 10**4, "亿": 10**8, "兆": 10**12}
LIMIT = Decimal(10) ** 16


def integer_words(n: int, digits: str = UPPER, units=SMALL_UNITS) -> str:
    """An integer in Chinese numerals with 零 for gaps, e.g. 1001 -> 壹仟零壹."""
    if n == 0:
        return digits[0]
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out, need_zero = "", False
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            need_zero = bool(out)
            continue
        if out and (need_zero or g < 1000):
            out += digits[0]
        out += group_words(g, digits, units) + BIG_UNITS[i]
        need_zero = False
    return out


def group_words(g: int, digits: str, units) -> str:
    """Up to four digits: 1010 -> 壹仟零壹拾."""
    out, zero = "", False
    for pos in range(3, -1, -1):
        d = g // 10**pos % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += digits[0]
            zero = False
        out += digits[d] + units[pos]
    return out


def to_upper(amount: str) -> str:
    """12345.67 -> 壹万贰仟叁佰肆拾伍元陆角柒分."""
    value = parse_amount(amount)
    sign = "负" if value < 0 else ""
    cents = int((abs(value) * 100).to_integral_value(ROUND_HALF_UP))
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    if cents == 0:
        return "零元整"
    head = integer_words(yuan) + "元" if yuan else ""
    if not jiao and not fen:
        return sign + head + "整"
    tail = (UPPER[jiao] + "角" if jiao else ("零" if head else "")) + (UPPER[fen] + "分" if fen else "")
    return sign + head + tail


def parse_amount(text: str) -> Decimal:
    """A number typed with commas, ¥ or 元; ValueError when it is not one or is too large."""
    cleaned = text.replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").replace("元", "").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {text!r}") from exc
    if abs(value) >= LIMIT:
        raise ValueError("amounts up to 9,999,999,999,999,999.99 (万亿) are supported")
    return value


def chinese_integer(text: str) -> int:
    """Chinese numerals to an int: 壹万零贰拾 -> 10020, 十五 -> 15, 两千 -> 2000, 二〇二六 -> 2026."""
    if len(text) > 1 and all(c in DIGIT_OF for c in text):
        return int("".join(str(DIGIT_OF[c]) for c in text))  # digit by digit, e.g. a year 二〇二六
    total = section = number = 0
    for ch in text:
        if ch in DIGIT_OF:
            number = DIGIT_OF[ch]
        elif ch in UNIT_OF:
            section += (number or 1) * UNIT_OF[ch]
            number = 0
        elif ch in BIG_OF:
            big = BIG_OF[ch]
            if big > 10**4 and total % big:  # 亿 after 万: everything so far scales
                total = (total + section + number) * big
            else:
                total += (section + number) * big
            section = number = 0
        else:
            raise ValueError(f"unexpected character {ch!r} in a Chinese number")
    return total + section + number


def from_upper(text: str) -> Decimal:
    """壹仟贰佰叁拾肆元伍角陆分 -> 1234.56 (also accepts 圆, 整/正 and lowercase numerals)."""
    t = text.strip().replace("圆", "元").replace("整", "").replace("正", "").replace("人民币", "")
    sign = -1 if t.startswith("负") else 1
    t = t.lstrip("负")
    yuan_part, _, rest = t.rpartition("元") if "元" in t else ("", "", t)
    yuan = chinese_integer(yuan_part) if yuan_part else 0
    cents = 0
    if "角" in rest:
        j, _, rest = rest.partition("角")
        cents += DIGIT_OF[j.lstrip("零")[-1]] * 10 if j.lstrip("零") else 0
    if "分" in rest:
        f = rest.partition("分")[0].lstrip("零")
        cents += DIGIT_OF[f[-1]] if f else 0
    elif rest.strip("零"):
        raise ValueError(f"cannot read {text!r}: expected …元…角…分")
    return sign * (Decimal(yuan) + Decimal(cents) / 100).quantize(Decimal("0.01"))


def to_chinese(number: str) -> str:
    """12345.67 -> 一万二千三百四十五点六七 (everyday numerals, not for money)."""
    value = parse_amount(number)
    sign = "负" if value < 0 else ""
    whole, _, frac = format(abs(value), "f").partition(".")
    words = integer_words(int(whole), LOWER, LOWER_SMALL)
    if words.startswith("一十"):
        words = words[1:]  # 十五, not 一十五
    return sign + words + ("点" + "".join(LOWER[int(c)] for c in frac) if frac else "")


def from_chinese(text: str) -> Decimal:
    """一万二千三百四十五点六七 -> 12345.67."""
    t = text.strip()
    sign = -1 if t.startswith("负") else 1
    whole, _, frac = t.lstrip("负").partition("点")
    value = Decimal(chinese_integer(whole) if whole else 0)
    if frac:
        value += Decimal("0." + "".join(str(DIGIT_OF[c]) for c in frac))
    return sign * value


COMMANDS = {"upper": lambda s: to_upper(s), "lower": lambda s: str(from_upper(s)),
            "cn": lambda s: to_chinese(s), "num": lambda s: str(from_chinese(s))}


def main(argv: list[str] | None = None) -> None:
    """Convert each value; exit 2 when one cannot be read."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("command", choices=sorted(COMMANDS),
                   help="upper: 1234.56 -> 大写; lower: 大写 -> 1234.56; cn: 123 -> 一百二十三; num: 一百二十三 -> 123")
    p.add_argument("values", nargs="+")
    p.add_argument("--json", action="store_true", help="JSON output (always on)")
    a = p.parse_args(argv)
    try:
        results = [{"input": v, "output": COMMANDS[a.command](v)} for v in a.values]
    except (ValueError, KeyError, IndexError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps({"ok": True, "results": results}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
