#!/usr/bin/env python3
"""Schedule tasks on working days (dependencies, owners, milestones) and export an Excel plan with Gantt bars and a PNG chart."""
from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import date, timedelta
from pathlib import Path

ALIASES = {"task": ("task", "name", "任务", "任务名称", "事项"), "owner": ("owner", "负责人", "责任人"),
           "days": ("days", "duration", "工期", "天数"), "after": ("after", "depends", "前置", "依赖"),
           "start": ("start", "开始", "开始日期"), "milestone": ("milestone", "里程碑"), "phase": ("phase", "阶段")}
CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei", "PingFang SC",
             "Heiti SC", "WenQuanYi Zen Hei", "Arial Unicode MS"]


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def normalise(row: dict) -> dict:
    """Map Chinese/English column names onto task/owner/days/after/start/milestone/phase."""
    low = {str(k).strip().lower(): v for k, v in row.items()}
    out = {key: next((low[n] for n in names if n in low and low[n] not in (None, "")), None) for key, names in ALIASES.items()}
    out["days"] = float(out["days"] or 0)
    out["milestone"] = str(out["milestone"]).lower() in ("1", "true", "yes", "是", "y") or out["days"] == 0
    return out


def read_tasks(path: Path) -> list[dict]:
    """Tasks from a JSON list or a CSV (UTF-8/GBK)."""
    if path.suffix.lower() == ".json":
        rows = json.loads(path.read_text(encoding="utf-8"))
    else:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030")
        rows = list(csv.DictReader(text.splitlines()))
    return [normalise(r) for r in rows]


def add_workdays(d: date, n: int, holidays: set[date]) -> date:
    """The date `n` working days after d (Mon–Fri, skipping holidays)."""
    while n > 0:
        d += timedelta(days=1)
        if d.weekday() < 5 and d not in holidays:
            n -= 1
    return d


def first_workday(d: date, holidays: set[date]) -> date:
    """d itself if it is a working day, else the next one."""
    while d.weekday() >= 5 or d in holidays:
        d += timedelta(days=1)
    return d


def schedule(tasks: list[dict], start: date, holidays: set[date]) -> list[dict]:
    """Start/end of each task: after its predecessors (names or 1-based numbers, comma-separated), else at its own start."""
    by_name: dict[str, dict] = {}
    for i, t in enumerate(tasks, 1):
        t["id"] = i
        preds = [p.strip() for p in str(t["after"] or "").replace("，", ",").split(",") if p.strip()]
        ends = []
        for p in preds:
            ref = tasks[int(p) - 1] if p.isdigit() and 0 < int(p) < i else by_name.get(p)
            if ref is None:
                raise ValueError(f"task {t['task']!r} depends on {p!r}, which is not an earlier task")
            ends.append(ref["end_date"])
        begin = date.fromisoformat(str(t["start"])) if t["start"] else start
        if ends:
            begin = max(begin, add_workdays(max(ends), 1, holidays))
        begin = first_workday(begin, holidays)
        days = max(int(round(t["days"])), 0)
        end = begin if days <= 1 else add_workdays(begin, days - 1, holidays)
        t.update(start_date=begin, end_date=end)
        by_name[str(t["task"])] = t
    return tasks


def to_xlsx(tasks: list[dict], out: Path, holidays: set[date]) -> int:
    """The plan sheet with one Gantt column per working day (per week when the plan is longer than 90 days)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "计划 Plan"
    head = ["编号 ID", "阶段 Phase", "任务 Task", "负责人 Owner", "开始 Start", "结束 End", "工期(工作日) Days", "前置 After"]
    first, last = min(t["start_date"] for t in tasks), max(t["end_date"] for t in tasks)
    weekly = (last - first).days > 90
    cols, d = [], first - timedelta(days=first.weekday()) if weekly else first
    while d <= last:
        if weekly or (d.weekday() < 5 and d not in holidays):
            cols.append(d)
        d += timedelta(days=7 if weekly else 1)
    ws.append(head + [c.strftime("%m/%d") for c in cols])
    bar, mile = PatternFill("solid", fgColor="4F81BD"), PatternFill("solid", fgColor="C0504D")
    for r, t in enumerate(tasks, start=2):
        ws.append([t["id"], t["phase"] or "", t["task"], t["owner"] or "", t["start_date"], t["end_date"],
                   int(round(t["days"])), t["after"] or ""])
        for c, day in enumerate(cols, start=len(head) + 1):
            span_end = day + timedelta(days=6) if weekly else day
            if t["start_date"] <= span_end and day <= t["end_date"]:
                ws.cell(r, c).fill = mile if t["milestone"] else bar
    for c in range(1, len(head) + len(cols) + 1):
        ws.cell(1, c).font = Font(bold=True)
        ws.cell(1, c).alignment = Alignment(text_rotation=90 if c > len(head) else 0)
        ws.column_dimensions[get_column_letter(c)].width = 4 if c > len(head) else (28 if c == 3 else 12)
    for row in ws.iter_rows(min_row=2, min_col=5, max_col=6):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = ws.cell(2, len(head) + 1)
    wb.save(out)
    return len(cols)


def to_png(tasks: list[dict], out: Path, title: str) -> str | None:
    """A horizontal-bar Gantt chart; returns the CJK font used (None: Chinese labels may not render)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    have = {f.name for f in font_manager.fontManager.ttflist}
    font = next((f for f in CJK_FONTS if f in have), None)
    if font:
        plt.rcParams["font.sans-serif"] = [font, "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    fig, ax = plt.subplots(figsize=(10, 0.45 * len(tasks) + 1.5))
    for i, t in enumerate(reversed(tasks)):
        s = matplotlib.dates.date2num(t["start_date"])
        width = matplotlib.dates.date2num(t["end_date"]) - s + 1
        if t["milestone"]:
            ax.plot(s + 0.5, i, marker="D", color="#C0504D", markersize=9)
        else:
            ax.barh(i, width, left=s, color="#4F81BD")
    ax.set_yticks(range(len(tasks)), [f"{t['task']} ({t['owner']})" if t["owner"] else str(t["task"]) for t in reversed(tasks)])
    ax.xaxis_date()
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return font


def main(argv: list[str] | None = None) -> None:
    """Read tasks, schedule them, write the requested outputs, print the schedule."""
    ap = argparse.ArgumentParser(description="project schedule with Gantt outputs")
    ap.add_argument("tasks", help="tasks .json (list of objects) or .csv; columns task/任务, owner/负责人, days/工期, after/前置")
    ap.add_argument("--start", required=True, help="project start date YYYY-MM-DD")
    ap.add_argument("--holidays", default="", help="comma-separated non-working dates YYYY-MM-DD")
    ap.add_argument("--xlsx", help="write the Excel plan here")
    ap.add_argument("--png", help="write the Gantt chart here")
    ap.add_argument("--title", default="项目计划 / Project plan")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    try:
        holidays = {date.fromisoformat(h.strip()) for h in a.holidays.split(",") if h.strip()}
        tasks = schedule(read_tasks(Path(a.tasks)), date.fromisoformat(a.start), holidays)
    except (ValueError, OSError, KeyError) as exc:
        fail(str(exc))
    if not tasks:
        fail("no tasks in the file")
    out: dict = {"ok": True, "tasks": [{"id": t["id"], "task": t["task"], "owner": t["owner"], "start": t["start_date"].isoformat(),
                                        "end": t["end_date"].isoformat(), "milestone": t["milestone"]} for t in tasks],
                 "finish": max(t["end_date"] for t in tasks).isoformat()}
    if a.xlsx:
        out["xlsx"], out["gantt_columns"] = a.xlsx, to_xlsx(tasks, Path(a.xlsx), holidays)
    if a.png:
        out["png"], out["cjk_font"] = a.png, to_png(tasks, Path(a.png), a.title)
    print(json.dumps(out, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
