#!/usr/bin/env python3
"""Validate a short-video shot list against a target length, rescale durations, and export it as .xlsx, .csv or .md."""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

COLUMNS = [("no", "镜号"), ("seconds", "时长(秒)"), ("start", "开始"), ("shot", "画面/景别"), ("voiceover", "口播/台词"),
           ("on_screen_text", "字幕/花字"), ("sound", "音乐/音效"), ("note", "备注")]
SPEECH_RATE = 4.0  # Chinese characters a presenter speaks per second (≈240/min, brisk short-video pace)
WORDS_RATE = 2.5   # English words per second


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def mmss(seconds: float) -> str:
    """0:07-style time code."""
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}".replace(".0", "")


def speak_seconds(text: str) -> float:
    """Time needed to say a voice-over line."""
    zh = len(re.findall(r"[\u4e00-\u9fff]", text or ""))
    en = len(re.findall(r"[A-Za-z]+", text or ""))
    return zh / SPEECH_RATE + en / WORDS_RATE


def fit(shots: list[dict], target: float) -> list[dict]:
    """Scale durations to sum to the target (whole or half seconds), fixing rounding on the longest shot."""
    total = sum(float(s["seconds"]) for s in shots)
    for s in shots:
        s["seconds"] = max(0.5, round(float(s["seconds"]) * target / total * 2) / 2)
    drift = target - sum(s["seconds"] for s in shots)
    max(shots, key=lambda s: s["seconds"])["seconds"] += drift
    return shots


def annotate(shots: list[dict]) -> tuple[list[dict], list[str]]:
    """Numbering, start times, and warnings where the voice-over cannot be said within the shot."""
    t, warnings = 0.0, []
    for i, s in enumerate(shots, 1):
        s["no"], s["start"] = i, mmss(t)
        need = speak_seconds(s.get("voiceover", ""))
        if need > float(s["seconds"]) + 0.5:
            warnings.append(f"shot {i}: voice-over needs ~{need:.1f}s but the shot is {s['seconds']}s")
        t += float(s["seconds"])
    return shots, warnings


def export(shots: list[dict], out: Path, title: str) -> None:
    """Write the shot table with Chinese headers."""
    rows = [[s.get(k, "") for k, _ in COLUMNS] for s in shots]
    heads = [zh for _, zh in COLUMNS]
    if out.suffix.lower() == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font

        wb = Workbook()
        ws = wb.active
        ws.title = "分镜 Shots"
        ws.append(heads)
        for r in rows:
            ws.append(r)
        ws.append(["合计", sum(s["seconds"] for s in shots)])
        for c, width in zip("ABCDEFGH", (6, 9, 8, 30, 40, 20, 16, 16)):
            ws.column_dimensions[c].width = width
            ws[f"{c}1"].font = Font(bold=True)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        wb.save(out)
    elif out.suffix.lower() == ".csv":
        with out.open("w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows([heads, *rows])
    else:
        lines = [f"# {title}", "", "| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
        lines += ["| " + " | ".join(str(v).replace("|", "/").replace("\n", " ") for v in r) + " |" for r in rows]
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """check (and optionally --fit) a shot list JSON, then export it."""
    ap = argparse.ArgumentParser(description="shot list checks and export")
    ap.add_argument("shots", help="JSON list of shots: seconds, shot, voiceover, on_screen_text, sound, note")
    ap.add_argument("--target", type=float, help="target video length in seconds")
    ap.add_argument("--fit", action="store_true", help="rescale durations so they sum to --target")
    ap.add_argument("--out", help="export to .xlsx, .csv or .md")
    ap.add_argument("--title", default="短视频分镜脚本 / Shot list")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    try:
        shots = json.loads(Path(a.shots).read_text(encoding="utf-8"))
        for s in shots:
            s["seconds"] = float(s["seconds"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        fail(f"cannot read the shot list: {exc}")
    if not shots:
        fail("the shot list is empty")
    if a.fit:
        if not a.target:
            fail("--fit needs --target")
        shots = fit(shots, a.target)
    shots, warnings = annotate(shots)
    total = round(sum(s["seconds"] for s in shots), 2)
    out = {"ok": True, "shots": len(shots), "total_seconds": total, "target": a.target,
           "matches_target": a.target is None or abs(total - a.target) < 0.01, "warnings": warnings,
           "durations": [s["seconds"] for s in shots]}
    if a.out:
        export(shots, Path(a.out), a.title)
        out["written"] = a.out
    print(json.dumps(out, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
