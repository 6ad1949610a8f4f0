#!/usr/bin/env python3
"""Chinese lunar calendar (农历) and the 24 solar terms (节气) for 1901-2100, from compact tables.

Tables: for each lunar year 1901-2100 the Gregorian offset of 正月初一 from 1 January, the leap month (0 = none)
and a bit per month (1 = 30 days, 0 = 29); for each Gregorian year the day of month of each solar term in
Beijing time (UTC+8). They follow the official calendar rules (GB/T 33661-2017 《农历的编算和颁行》), computed
once with an astronomical library and checked against published dates (e.g. 2026 Spring Festival = 2026-02-17).
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta

FIRST_YEAR, LAST_YEAR = 1901, 2100
# Per lunar year: 2-digit offset of 正月初一 from 1 January, leap month (hex), month-length bits (hex).
YEARS = " ".join((
    "4900752 3800ea5 285164a 460064b 3400a9b 2441556 430056a 3200b59 2121752 4000752",
    "2961b25 4800b25 3600a4b 25514ab 44002ad 330056b 2220b69 4100da9 3171d92 5000e92",
    "3800d25 2751a4d 4600a56 35002b6 23415b5 43006d4 3200ea9 2221e92 4000e92 2960d26",
    "470052b 3600a57 25512b6 4400b5a 34006d4 2330ec9 4100749 3071693 4900a93 380052b",
    "2660a5b 4500aad 350056a 2441b55 4300ba4 3200b49 2121a93 4000a95 287152d 4700536",
    "3600aad 26515aa 44005b2 3300da5 2331d4a 4200d4a 3080a95 4800a97 3800556 2760ab5",
    "4500ad5 35006d2 2440ea5 4300ea5 320064a 2030c97 3900a9b 297155a 470056a 3600b69",
    "2651752 4500b52 3300b25 224164b 4100a4b 30814ab 48002ad 370056d 2760b69 4600da9",
    "3500d92 2441d25 4300d25 32a1a4d 5000a56 39002b6 28605b5 47006d5 3600ea9 2651e92",
    "4500e92 3400d26 2230a56 4000a57 30814d6 490035a 37006d5 27516c9 4600749 3500693",
    "234152b 420052b 3100a5b 212155a 390056a 2871b55 4800ba4 3700b49 2551a93 4400a95",
    "330052d 2240aad 4000ab5 30915aa 49005d2 3800da5 2761d4a 4600d4a 3500c95 244152e",
    "4200556 3100ab5 21215b2 40006d2 2860ea5 4700725 360064b 2550c97 4300cab 330055a",
    "2230ad6 4100b69 30b1752 4900b52 3800b25 2761a4b 4500a4b 34004ab 235055b 42005ad",
    "3100b6a 2121b52 4000d92 2971d25 4700d25 3600a55 25514ad 44004b6 32005b5 2230daa",
    "4100ec9 3181e92 4900e92 3800d26 2760a56 4500a57 34004d6 23406d5 4200755 3200749",
    "2030e93 3900693 287152b 470052b 3500a5b 255155a 440056a 3300b65 224174a 4100b4a",
    "3081a95 4900a95 370052d 2660aad 4500ab5 35005aa 2340ba5 4200da5 3200d4a 2131c95",
    "3900c96 287194e 4700556 3600ab5 25515b2 44006d2 3300ea5 2340e4a 400068b 2980c97",
    "48004ab 370055b 2660ad6 4500b6a 3500752 2441725 4200b45 3100a8b 202149b 39004ab",
)).split()
# Per Gregorian year: 24 digits, the day of each term minus 3 (first term of a month) or minus 18 (second).
TERMS = " ".join((
    "331133233434555656665554 332133333444565656665555 332244334444566666665555 432233223334455555665544 331133233434555656665554",
    "332133333434565656665555 332244334444566666665555 432233223334455555665544 331133233434555656665554 332133333434565656665555",
    "332244334444566666665555 432233223334455555665444 321133233434555655665554 331133233434565656665555 332234333444565666665555",
    "332233223334455555565444 321133233334555655665554 331133233434565656665554 332234333444565666665555 332233223334455555565444",
    "321133223334555655665544 331133233434565656665554 332133333444565666665555 332233223334455555565444 321133223334555655665544",
    "331133233434555656665554 332133333444565666665555 332233223334455555554444 321133223334455555665544 331133233434555656665554",
    "332133333444565656665555 332233223333455555554444 321133223334455555665544 331133233434555656665554 332133333434565656665555",
    "332233223333455555554444 321133223334455555665544 331133233434555656665554 332133333434565656665555 332233223333455555554444",
    "321133223334455555665544 331133233434555656665554 332133333434565656665555 332233222333455555554444 321133223334455555565444",
    "321133233434555655665554 331133233434565656665555 332223222333454555554444 221133223334455555565444 321133223334555655665554",
    "331133233434565656665555 332223222333454555554444 221133223334455555565444 321133223334555655665544 331133233434555656665554",
    "332222222333454555554444 221133223334455555565444 321133223334455555665544 331133233434555656665554 332122222333454545554444",
    "221133223333455555554444 321133223334455555665544 331133233434555656665554 332122222333454545554444 221133223333455555554444",
    "321133223334455555665544 331133233434555656665554 332122222323454545554444 221133223333455555554444 321133223334455555665544",
    "331133233434555656665554 332122222323454545554444 221133222333455555554444 321133223334455555665544 331133233434555655665554",
    "332122122323454545554444 221133222333454555554444 321133223334455555565544 321133233334555655665554 332122122323454545554444",
    "221133222333454555554444 321133223334455555565444 321133223334555655665554 331122122323444545554444 221123222333454555554444",
    "221133223334455555565444 321133223334455655665544 331122122323444545554443 221122222333454545554444 221133223333455555565444",
    "321133223334455555665544 331122122323444545554443 221022222333454545554444 221133223333455555554444 321133223334455555665544",
    "331122122323444545554443 221022222323454545554444 221133223333455555554444 321133223334455555665544 331122122323444545554443",
    "221022222323454545554444 221133223333455555554444 321133223334455555665544 331122122323444545554443 221022222323454545554444",
    "221133222333454555554444 321133223334455555665544 331122122323444544554443 221022122323454545554444 221133222333454555554444",
    "321133223334455555565544 331122122223444544554443 221022122323444545554444 221133222333454555554444 321133223334455555565444",
    "321122112223444544554443 220022122323444545554444 221123222333454555554444 221133223333455555565444 321122112223344444554443",
    "220022122323444545554443 221122222333454545554444 221133223333455555565444 321122112223344444554433 220022122323444545554443",
    "221022222323454545554444 221133223333455555554444 321122112223344444554433 220022122323444545554443 221022222323454545554444",
    "221133223333455555554444 321122112223344444554433 220022122323444545554443 221022222323454545554444 221133222333454555554444",
    "321122112223344444554433 220022122323444545554443 221022222323454545554444 221133222333454555554444 321122112223344444554433",
    "220022122223444544554443 221022122323454545554444 221133222333454555554444 321122112223344444454433 220022112223444544554443",
    "221022122323444545554444 221133222333454555554444 321122112222344444454333 210022112223344444554443 220022122323444545554444",
    "221122222333454545554444 221122112222344444454333 210022112223344444554443 220022122323444545554444 221122222323454545554444",
    "221122112222344444454333 210022112223344444554433 220022122323444545554443 221122222323454545554444 221122112222344444443333",
    "210022112223344444554433 220022122323444545554443 221022222323454545554444 221122112222344444443333 210022112223344444554433",
    "220022122323444545554443 221022222323454545554444 221122111222343444443333 210022112223344444554433 220022122223444544554443",
    "221022222323454545554444 221122111222343444443333 210022112223344444454433 220022122223444544554443 221022122323444545554444",
    "221122111222343444443333 210022112223344444454433 220022112223344544554443 221022122323444545554444 221122111222343444443333",
    "210022112222344444454333 220022112223344444554443 220022122323444545554444 221111111222343434443333 110022112222344444454333",
    "210022112223344444554443 220022122323444545554444 221111111212343434443333 110022112222344444454333 210022112223344444554433",
    "220022122323444545554443 221111111212343434443333 110022112222344444443333 210022112223344444554433 220022122323444545554443",
    "221011111212343434443333 110022112222343444443333 210022112223344444554433 220022122323444545554443 221022222323454545554444",
)).split()
TERM_NAMES = ["小寒", "大寒", "立春", "雨水", "惊蛰", "春分", "清明", "谷雨", "立夏", "小满", "芒种", "夏至",
              "小暑", "大暑", "立秋", "处暑", "白露", "秋分", "寒露", "霜降", "立冬", "小雪", "大雪", "冬至"]
STEMS, BRANCHES = "甲乙丙丁戊己庚辛壬癸", "子丑寅卯辰巳午未申酉戌亥"
ZODIAC = "鼠牛虎兔龙蛇马羊猴鸡狗猪"
ZODIAC_EN = ["Rat", "Ox", "Tiger", "Rabbit", "Dragon", "Snake", "Horse", "Goat", "Monkey", "Rooster", "Dog", "Pig"]
MONTH_NAMES = ["正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊"]
LUNAR_FESTIVALS = {(1, 1): "春节", (1, 15): "元宵节", (2, 2): "龙抬头", (5, 5): "端午节", (7, 7): "七夕",
                   (7, 15): "中元节", (8, 15): "中秋节", (9, 9): "重阳节", (12, 8): "腊八节", (12, 23): "小年（北方）"}
DAY_ONE_GANZHI = date(2000, 1, 7)  # a 甲子 day


def year_info(y: int) -> tuple[date, int, list[tuple[int, bool, int]]]:
    """New year's day, leap month and [(month, is_leap, days)] of lunar year y."""
    if not FIRST_YEAR <= y <= LAST_YEAR:
        raise ValueError(f"lunar years {FIRST_YEAR}-{LAST_YEAR} only")
    code = YEARS[y - FIRST_YEAR]
    start, leap, bits = date(y, 1, 1) + timedelta(int(code[:2])), int(code[2], 16), int(code[3:], 16)
    order = [(m, False) for m in range(1, 13)]
    if leap:
        order.insert(leap, (leap, True))
    return start, leap, [(m, lp, 30 if bits >> i & 1 else 29) for i, (m, lp) in enumerate(order)]


def day_name(d: int) -> str:
    """初一 … 三十."""
    if d == 10:
        return "初十"
    if d == 20:
        return "二十"
    if d == 30:
        return "三十"
    tens, unit = divmod(d, 10)
    return "初十廿"[tens] + "一二三四五六七八九"[unit - 1] if tens < 3 else "三十"


def month_name(m: int, leap: bool) -> str:
    """正月, 闰二月, 腊月 …"""
    return ("闰" if leap else "") + MONTH_NAMES[m - 1] + "月"


def ganzhi(n: int) -> str:
    """The n-th name of the 60-cycle (0 = 甲子)."""
    return STEMS[n % 10] + BRANCHES[n % 12]


def to_lunar(d: date) -> dict:
    """A Gregorian date as a lunar date with year names, festival and solar term."""
    y = d.year if d >= year_info(min(max(d.year, FIRST_YEAR), LAST_YEAR))[0] else d.year - 1
    start, _, months = year_info(y)
    i, day = locate(months, (d - start).days)
    m, leap, days = months[i]
    festival = LUNAR_FESTIVALS.get((m, day)) if not leap else None
    if m == 12 and not leap and i == len(months) - 1 and day == days:
        festival = "除夕"
    term = term_on(d)
    return {"date": d.isoformat(), "lunar_year": y, "lunar_month": m, "lunar_day": day, "leap": leap,
            "text": f"{month_name(m, leap)}{day_name(day)}", "month_days": days,
            "ganzhi_year": ganzhi(y - 4), "zodiac": ZODIAC[(y - 4) % 12], "zodiac_en": ZODIAC_EN[(y - 4) % 12],
            "ganzhi_day": ganzhi((d - DAY_ONE_GANZHI).days), "festival": festival, "solar_term": term,
            "weekday": "一二三四五六日"[d.weekday()]}


def locate(months: list[tuple[int, bool, int]], offset: int) -> tuple[int, int]:
    """(index of the month, day of the month) for a day offset from 正月初一."""
    for i, (_, _, days) in enumerate(months):
        if offset < days:
            return i, offset + 1
        offset -= days
    raise ValueError("date outside the table")


def to_solar(y: int, m: int, day: int, leap: bool = False) -> date:
    """A lunar date as a Gregorian date; ValueError when that month or day does not exist."""
    start, leap_month, months = year_info(y)
    if leap and leap_month != m:
        raise ValueError(f"lunar year {y} has no leap month {m} (leap month: {leap_month or 'none'})")
    offset = 0
    for mm, lp, days in months:
        if (mm, lp) == (m, leap):
            if not 1 <= day <= days:
                raise ValueError(f"{month_name(m, leap)} of {y} has {days} days")
            return start + timedelta(offset + day - 1)
        offset += days
    raise ValueError(f"no month {m} in lunar year {y}")


def solar_terms(y: int) -> list[dict]:
    """The 24 solar terms of Gregorian year y (Beijing dates)."""
    if not FIRST_YEAR <= y <= LAST_YEAR:
        raise ValueError(f"years {FIRST_YEAR}-{LAST_YEAR} only")
    digits = TERMS[y - FIRST_YEAR]
    return [{"name": TERM_NAMES[i], "date": date(y, i // 2 + 1, int(digits[i]) + (3 if i % 2 == 0 else 18)).isoformat()}
            for i in range(24)]


def term_on(d: date) -> str | None:
    """The solar term falling on d, if any."""
    if not FIRST_YEAR <= d.year <= LAST_YEAR:
        return None
    return next((t["name"] for t in solar_terms(d.year) if t["date"] == d.isoformat()), None)


def festivals(y: int) -> list[dict]:
    """Traditional festivals of lunar year y (plus 清明 and 冬至 of Gregorian year y), by date."""
    out = [{"name": name, "lunar": f"{month_name(m, False)}{day_name(d)}", "date": to_solar(y, m, d).isoformat()}
           for (m, d), name in LUNAR_FESTIVALS.items()]
    last_month = year_info(y)[2][-1]
    out.append({"name": "除夕", "lunar": f"腊月{day_name(last_month[2])}",
                "date": to_solar(y, 12, last_month[2]).isoformat()})
    out += [{"name": t["name"], "lunar": None, "date": t["date"]} for t in solar_terms(y) if t["name"] in ("清明", "冬至")]
    return sorted(out, key=lambda f: f["date"])


def main(argv: list[str] | None = None) -> None:
    """Run one command; print JSON; exit 2 on a date outside the tables or a non-existent date."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="JSON output (always on)")
    sub = p.add_subparsers(dest="cmd", required=True)
    a1 = sub.add_parser("to-lunar", parents=[common], help="Gregorian YYYY-MM-DD -> lunar")
    a1.add_argument("dates", nargs="+")
    a2 = sub.add_parser("to-solar", parents=[common], help="lunar year month day -> Gregorian")
    a2.add_argument("year", type=int)
    a2.add_argument("month", type=int)
    a2.add_argument("day", type=int)
    a2.add_argument("--leap", action="store_true", help="the leap (闰) month")
    for name in ("terms", "festivals"):
        sp = sub.add_parser(name, parents=[common], help=f"{name} of a year")
        sp.add_argument("year", type=int)
    a = p.parse_args(argv)
    try:
        if a.cmd == "to-lunar":
            result = {"ok": True, "results": [to_lunar(date.fromisoformat(d)) for d in a.dates]}
        elif a.cmd == "to-solar":
            d = to_solar(a.year, a.month, a.day, a.leap)
            result = {"ok": True, "date": d.isoformat(), "weekday": "一二三四五六日"[d.weekday()]}
        elif a.cmd == "terms":
            result = {"ok": True, "year": a.year, "terms": solar_terms(a.year)}
        else:
            result = {"ok": True, "lunar_year": a.year, "festivals": festivals(a.year)}
    except ValueError as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
