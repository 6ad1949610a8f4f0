#!/usr/bin/env python3
"""Turn a trip plan (JSON) into a Word itinerary, a calendar file (.ics, one all-day entry per day plus timed
stops) and a packing list; `packing` alone suggests what to pack for a kind of trip.

Plan JSON: {"title", "destination", "start": "YYYY-MM-DD", "timezone": "Asia/Shanghai",
            "days": [{"title", "items": [{"time": "09:00", "end": "11:00", "what", "where", "transport", "cost"}], "notes"}],
            "budget": [{"item", "amount", "currency"}], "packing": [...]}  (budget and packing optional)
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

BASE = ["身份证/护照 ID or passport", "手机和充电器 phone and charger", "充电宝 power bank", "钱包/银行卡 wallet and cards",
        "常用药 personal medicine", "牙刷牙膏 toothbrush and paste", "纸巾/湿巾 tissues and wipes"]
BY_CLIMATE = {"hot": ["防晒霜 sunscreen", "太阳镜 sunglasses", "遮阳帽 sun hat", "短袖 T-shirts"],
              "mild": ["薄外套 light jacket", "长袖 long sleeves"],
              "cold": ["羽绒服 down jacket", "保暖内衣 thermal underwear", "手套帽子围巾 gloves, hat, scarf", "润唇膏 lip balm"],
              "rainy": ["雨伞/雨衣 umbrella or raincoat", "防水鞋 waterproof shoes"]}
BY_KIND = {"beach": ["泳衣 swimwear", "拖鞋 flip-flops", "防水手机袋 waterproof phone pouch"],
           "hiking": ["登山鞋 hiking boots", "背包 daypack", "水壶 water bottle", "头灯 headlamp", "急救包 first-aid kit"],
           "business": ["正装 formal clothes", "笔记本电脑 laptop", "名片 business cards", "转换插头 plug adapter"],
           "city": ["舒适步行鞋 comfortable walking shoes", "小背包 small backpack"]}
INTL = ["护照签证复印件 passport/visa copies", "转换插头 plug adapter", "境外流量卡 data SIM/eSIM", "少量外币 some local cash",
        "旅行保险单 travel insurance details"]
KIDS = ["儿童药品 children's medicine", "零食 snacks", "玩具/绘本 toys or books", "备用衣物 spare clothes"]


def packing(days: int, climates: list[str], kind: str, intl: bool, kids: bool) -> list[dict]:
    """A packing checklist; clothes scale with the number of days (laundry assumed after a week)."""
    sets = min(days, 7)
    items = BASE + [f"换洗衣物 {sets} 套 / {sets} sets of clothes", f"袜子内衣 {sets + 1} 套 / {sets + 1} socks and underwear"]
    for c in climates:
        items += BY_CLIMATE.get(c, [])
    items += BY_KIND.get(kind, [])
    items += INTL if intl else []
    items += KIDS if kids else []
    return [{"item": i, "packed": False} for i in dict.fromkeys(items)]


def ics_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """RFC 5545 line folding at 75 octets."""
    out, cur = [], b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(cur) + len(b) > 73:
            out.append(cur.decode("utf-8"))
            cur = b""
        cur += b
    out.append(cur.decode("utf-8"))
    return "\r\n ".join(out)


def build_ics(plan: dict, start: date) -> str:
    """One all-day VEVENT per day plus one timed VEVENT per item with a time."""
    tz = plan.get("timezone", "")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//xiaodazi//trip-planner//ZH", "CALSCALE:GREGORIAN"]
    for i, day in enumerate(plan["days"]):
        d = start + timedelta(days=i)
        summary = f"{plan.get('title', 'Trip')} D{i + 1}: {day.get('title', '')}".strip()
        desc = "\n".join(f"{it.get('time', '')} {it.get('what', '')} @ {it.get('where', '')}".strip() for it in day.get("items", []))
        lines += ["BEGIN:VEVENT", f"UID:{uuid.uuid4()}@xiaodazi", f"DTSTAMP:{stamp}", f"DTSTART;VALUE=DATE:{d:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{d + timedelta(days=1):%Y%m%d}", f"SUMMARY:{ics_escape(summary)}",
                  f"DESCRIPTION:{ics_escape(desc)}", f"LOCATION:{ics_escape(plan.get('destination', ''))}", "END:VEVENT"]
        for it in day.get("items", []):
            if re.fullmatch(r"\d{1,2}:\d{2}", it.get("time", "")):
                lines += timed_event(it, d, tz, stamp)
    return "\r\n".join(fold(ln) for ln in lines + ["END:VCALENDAR"]) + "\r\n"


def timed_event(it: dict, d: date, tz: str, stamp: str) -> list[str]:
    h, m = map(int, it["time"].split(":"))
    t0 = datetime(d.year, d.month, d.day, h, m)
    eh, em = map(int, it.get("end", "").split(":")) if re.fullmatch(r"\d{1,2}:\d{2}", it.get("end", "")) else (h + 1, m)
    t1 = datetime(d.year, d.month, d.day, min(eh, 23), em)
    tzp = f";TZID={tz}" if tz else ""
    return ["BEGIN:VEVENT", f"UID:{uuid.uuid4()}@xiaodazi", f"DTSTAMP:{stamp}", f"DTSTART{tzp}:{t0:%Y%m%dT%H%M%S}",
            f"DTEND{tzp}:{t1:%Y%m%dT%H%M%S}", f"SUMMARY:{ics_escape(it.get('what', ''))}",
            f"LOCATION:{ics_escape(it.get('where', ''))}", f"DESCRIPTION:{ics_escape(it.get('transport', ''))}", "END:VEVENT"]


def budget_total(plan: dict) -> dict[str, float]:
    totals: dict[str, float] = {}
    for b in plan.get("budget", []):
        totals[b.get("currency", "CNY")] = round(totals.get(b.get("currency", "CNY"), 0) + float(b["amount"]), 2)
    for day in plan["days"]:
        for it in day.get("items", []):
            if it.get("cost"):
                totals["CNY"] = round(totals.get("CNY", 0) + float(it["cost"]), 2)
    return totals


def build_docx(plan: dict, start: date, packing_list: list[dict], path: Path) -> None:
    """The itinerary as a Word document: one heading and table per day, then budget and packing list."""
    from docx import Document
    doc = Document()
    doc.add_heading(plan.get("title", "行程 Itinerary"), 0)
    end = start + timedelta(days=len(plan["days"]) - 1)
    doc.add_paragraph(f"{plan.get('destination', '')}  {start.isoformat()} – {end.isoformat()}  ({len(plan['days'])} 天 days)")
    for i, day in enumerate(plan["days"]):
        d = start + timedelta(days=i)
        doc.add_heading(f"第 {i + 1} 天 Day {i + 1} · {d.isoformat()} {day.get('title', '')}", 1)
        rows = day.get("items", [])
        if rows:
            table = doc.add_table(rows=1, cols=4)
            table.style = "Light Grid Accent 1"
            for cell, text in zip(table.rows[0].cells, ("时间 Time", "安排 Plan", "地点 Place", "交通 Transport"), strict=True):
                cell.text = text
            for it in rows:
                for cell, text in zip(table.add_row().cells, (it.get("time", ""), it.get("what", ""), it.get("where", ""), it.get("transport", "")), strict=True):
                    cell.text = str(text)
        if day.get("notes"):
            doc.add_paragraph(day["notes"])
    totals = budget_total(plan)
    if totals:
        doc.add_heading("预算 Budget", 1)
        for b in plan.get("budget", []):
            doc.add_paragraph(f"{b['item']}: {b['amount']} {b.get('currency', 'CNY')}", style="List Bullet")
        doc.add_paragraph("合计 Total: " + ", ".join(f"{v:g} {k}" for k, v in totals.items()))
    doc.add_heading("行李清单 Packing list", 1)
    for p in packing_list:
        doc.add_paragraph("☐ " + p["item"])
    doc.save(str(path))


def build(plan_file: Path, out_dir: Path, name: str | None) -> dict:
    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    if not plan.get("days") or not plan.get("start"):
        raise ValueError("the plan needs 'start' (YYYY-MM-DD) and a non-empty 'days' list")
    start = date.fromisoformat(plan["start"])
    pack = [{"item": p, "packed": False} if isinstance(p, str) else p for p in plan.get("packing", [])] or \
        packing(len(plan["days"]), ["mild"], "city", False, False)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = name or re.sub(r'[\\/:*?"<>|]+', " ", plan.get("title", "trip")).strip()
    ics = out_dir / f"{stem}.ics"
    ics.write_text(build_ics(plan, start), encoding="utf-8", newline="")
    result = {"ok": True, "days": len(plan["days"]), "ics": str(ics), "budget_total": budget_total(plan)}
    try:
        docx_path = out_dir / f"{stem}.docx"
        build_docx(plan, start, pack, docx_path)
        result["docx"] = str(docx_path)
    except ImportError:
        result["docx"] = None
        result["note"] = "python-docx is not installed: pip install python-docx; the calendar file was written"
    return result


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="write the .docx itinerary and .ics calendar from a plan JSON")
    b.add_argument("plan")
    b.add_argument("--out-dir", default=".")
    b.add_argument("--name", help="file name without extension (default: the plan's title)")
    p = sub.add_parser("packing", help="suggest a packing list")
    p.add_argument("--days", type=int, default=3)
    p.add_argument("--climate", nargs="*", default=["mild"], choices=sorted(BY_CLIMATE))
    p.add_argument("--kind", default="city", choices=sorted(BY_KIND))
    p.add_argument("--intl", action="store_true", help="travelling abroad")
    p.add_argument("--kids", action="store_true", help="travelling with children")
    for x in (b, p):
        x.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "build":
            result = build(Path(args.plan), Path(args.out_dir), args.name)
        else:
            result = {"ok": True, "items": packing(args.days, args.climate, args.kind, args.intl, args.kids)}
    except (OSError, ValueError, KeyError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        return 2
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
