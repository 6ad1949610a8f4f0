#!/usr/bin/env python3
"""A personal fitness log in a CSV file: workouts (calories estimated from MET values), steps, body weight and
meals; weekly totals, BMI and resting energy (BMR), and a weight / activity chart.

Estimates only — not medical advice. CSV columns: date,kind,activity,amount,unit,kcal,note
(kind = workout | steps | weight | meal).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

FIELDS = ["date", "kind", "activity", "amount", "unit", "kcal", "note"]
# Approximate MET values (energy cost relative to rest) for common activities.
MET = {"walking": 3.5, "散步": 3.5, "快走": 4.3, "brisk walking": 4.3, "running": 9.8, "跑步": 9.8, "jogging": 7.0,
       "慢跑": 7.0, "cycling": 7.5, "骑行": 7.5, "骑车": 7.5, "swimming": 7.0, "游泳": 7.0, "yoga": 2.5, "瑜伽": 2.5,
       "strength": 5.0, "力量训练": 5.0, "撸铁": 5.0, "hiit": 8.0, "跳绳": 11.0, "jump rope": 11.0, "basketball": 6.5,
       "篮球": 6.5, "badminton": 5.5, "羽毛球": 5.5, "football": 7.0, "足球": 7.0, "hiking": 6.0, "爬山": 6.0,
       "徒步": 6.0, "dancing": 5.0, "跳舞": 5.0, "广场舞": 4.5, "elliptical": 5.0, "椭圆机": 5.0, "rowing": 7.0, "划船机": 7.0}


def r1(x: float) -> float:
    return float(Decimal(str(x)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def workout_kcal(activity: str, minutes: float, weight_kg: float) -> float:
    """kcal = MET × body weight (kg) × hours."""
    met = MET.get(activity.strip().lower(), MET.get(activity.strip()))
    if met is None:
        raise ValueError(f"no MET value for {activity!r}; pass --kcal, or one of: {', '.join(sorted(set(MET)))}")
    return round(met * weight_kg * minutes / 60)


def bmi(weight_kg: float, height_cm: float) -> dict:
    """BMI with both the Chinese adult cut-offs (24 / 28) and the WHO ones (25 / 30)."""
    value = weight_kg / (height_cm / 100) ** 2
    cn = "偏瘦" if value < 18.5 else "正常" if value < 24 else "超重" if value < 28 else "肥胖"
    who = "underweight" if value < 18.5 else "normal" if value < 25 else "overweight" if value < 30 else "obese"
    return {"bmi": r1(value), "category_cn": cn, "category_who": who}


def bmr(sex: str, age: int, weight_kg: float, height_cm: float) -> dict:
    """Resting energy by the Mifflin-St Jeor equation."""
    base = 10 * weight_kg + 6.25 * height_cm - 5 * age
    value = base + 5 if sex.lower() in ("m", "male", "男") else base - 161
    return {"bmr_kcal": round(value), "formula": "Mifflin-St Jeor",
            "daily_need_kcal": {"sedentary": round(value * 1.2), "light": round(value * 1.375),
                                "moderate": round(value * 1.55), "active": round(value * 1.725)}}


def read_log(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def append(path: Path, row: dict) -> None:
    new = not path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, FIELDS)
        if new:
            w.writeheader()
        w.writerow({k: row.get(k, "") for k in FIELDS})


def week_summary(rows: list[dict], start: date) -> dict:
    """Totals for the 7 days from `start` (Monday of the week by default)."""
    end = start + timedelta(days=7)
    week = [r for r in rows if start.isoformat() <= r["date"] < end.isoformat()]
    num = lambda r, k: float(r[k]) if r.get(k) not in (None, "") else 0.0  # noqa: E731
    workouts = [r for r in week if r["kind"] == "workout"]
    weights = sorted((r["date"], num(r, "amount")) for r in week if r["kind"] == "weight")
    before = sorted((r["date"], num(r, "amount")) for r in rows if r["kind"] == "weight" and r["date"] < start.isoformat())
    steps_days = {r["date"] for r in week if r["kind"] == "steps"}
    steps = sum(num(r, "amount") for r in week if r["kind"] == "steps")
    return {"week_start": start.isoformat(), "week_end": (end - timedelta(days=1)).isoformat(),
            "workouts": len(workouts), "workout_minutes": round(sum(num(r, "amount") for r in workouts), 1),
            "kcal_burned": round(sum(num(r, "kcal") for r in workouts)),
            "kcal_eaten": round(sum(num(r, "kcal") for r in week if r["kind"] == "meal")),
            "steps_total": round(steps), "steps_daily_avg": round(steps / len(steps_days)) if steps_days else 0,
            "weight_latest": weights[-1][1] if weights else None,
            "weight_change": r1(weights[-1][1] - (before[-1][1] if before else weights[0][1])) if weights else None,
            "active_days": len({r["date"] for r in workouts})}


def chart(rows: list[dict], out: Path) -> str:
    """Weight over time (line) and daily workout minutes (bars) in one PNG."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    weights = sorted((date.fromisoformat(r["date"]), float(r["amount"])) for r in rows if r["kind"] == "weight")
    minutes: dict[date, float] = {}
    for r in rows:
        if r["kind"] == "workout":
            d = date.fromisoformat(r["date"])
            minutes[d] = minutes.get(d, 0) + float(r["amount"] or 0)
    fig, ax = plt.subplots(figsize=(8, 4))
    if minutes:
        ax.bar(list(minutes), list(minutes.values()), color="#9ecae1", label="workout min")
        ax.set_ylabel("minutes")
    if weights:
        ax2 = ax.twinx()
        ax2.plot([w[0] for w in weights], [w[1] for w in weights], color="#d62728", marker="o", label="weight kg")
        ax2.set_ylabel("kg")
    ax.set_title("Fitness log")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return str(out)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--log", default="fitness-log.csv", help="the CSV log (default ./fitness-log.csv)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("add", help="record an entry")
    a.add_argument("kind", choices=["workout", "steps", "weight", "meal"])
    a.add_argument("amount", type=float, help="minutes, steps, kg, or (meal) kcal")
    a.add_argument("--activity", default="", help="workout type or meal description")
    a.add_argument("--date", default=date.today().isoformat())
    a.add_argument("--kcal", type=float, help="calories, when known")
    a.add_argument("--weight-kg", type=float, help="body weight for the workout estimate (default: the latest logged)")
    a.add_argument("--note", default="")
    s = sub.add_parser("summary", help="weekly totals")
    s.add_argument("--week-of", default=date.today().isoformat(), help="any date in the week (weeks start Monday)")
    s.add_argument("--weeks", type=int, default=1, help="how many weeks back, newest first")
    b = sub.add_parser("bmi", help="BMI and BMR")
    b.add_argument("--weight-kg", type=float, required=True)
    b.add_argument("--height-cm", type=float, required=True)
    b.add_argument("--age", type=int)
    b.add_argument("--sex", choices=["male", "female", "m", "f", "男", "女"])
    c = sub.add_parser("chart", help="PNG of weight and workout minutes")
    c.add_argument("--out", default="fitness-chart.png")
    for x in (a, s, b, c):
        x.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    log = Path(os.path.expanduser(args.log))
    try:
        result = run(args, log)
    except (OSError, ValueError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        return 2
    print(json.dumps({"ok": True, **result}, ensure_ascii=False, indent=1))
    return 0


def run(args: argparse.Namespace, log: Path) -> dict:
    rows = read_log(log)
    if args.cmd == "add":
        date.fromisoformat(args.date)
        kcal = args.kcal if args.kcal is not None else (args.amount if args.kind == "meal" else None)
        if args.kind == "workout" and kcal is None:
            latest = [float(r["amount"]) for r in sorted(rows, key=lambda r: r["date"]) if r["kind"] == "weight"]
            weight = args.weight_kg or (latest[-1] if latest else None)
            if weight is None:
                raise ValueError("need a body weight for the calorie estimate: pass --weight-kg or log a weight first")
            kcal = workout_kcal(args.activity, args.amount, weight)
        unit = {"workout": "min", "steps": "steps", "weight": "kg", "meal": "kcal"}[args.kind]
        row = {"date": args.date, "kind": args.kind, "activity": args.activity, "amount": f"{args.amount:g}", "unit": unit,
               "kcal": "" if kcal is None else f"{kcal:g}", "note": args.note}
        append(log, row)
        return {"logged": row, "log": str(log)}
    if args.cmd == "summary":
        monday = date.fromisoformat(args.week_of) - timedelta(days=date.fromisoformat(args.week_of).weekday())
        return {"weeks": [week_summary(rows, monday - timedelta(weeks=i)) for i in range(args.weeks)]}
    if args.cmd == "bmi":
        out = bmi(args.weight_kg, args.height_cm)
        if args.age and args.sex:
            out.update(bmr(args.sex, args.age, args.weight_kg, args.height_cm))
        return {**out, "note": "estimates, not medical advice / 估算值，不构成医疗建议"}
    if not rows:
        raise ValueError(f"the log {log} is empty")
    return {"chart": chart(rows, Path(os.path.expanduser(args.out)))}


if __name__ == "__main__":
    sys.exit(main())
