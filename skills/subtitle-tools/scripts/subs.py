#!/usr/bin/env python3
"""Subtitle files: shift timings, convert SRT/VTT/ASS, merge two languages, check, and build the ffmpeg burn-in command."""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

TIME_RE = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{1,2})[,.](\d{1,3})")
ARROW_RE = re.compile(rf"({TIME_RE.pattern})\s*-->\s*({TIME_RE.pattern})")


@dataclass
class Cue:
    """One subtitle: start and end in milliseconds, text lines joined by newlines."""

    start: int
    end: int
    text: str


def ms(stamp: str) -> int:
    h, m, s, frac = TIME_RE.fullmatch(stamp.strip()).groups()
    return ((int(h or 0) * 60 + int(m)) * 60 + int(s)) * 1000 + int(frac.ljust(3, "0"))


def stamp(value: int, sep: str = ",") -> str:
    value = max(0, value)
    h, rest = divmod(value, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{milli:03d}"


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), else GB18030 (common for Chinese subtitles), else UTF-16."""
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030", "utf-16"):
        try:
            return raw.decode(enc).replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            continue
    raise ValueError(f"cannot decode {path}")


def parse_blocks(text: str) -> list[Cue]:
    """SRT or VTT: any block holding a `start --> end` line."""
    cues = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.split("\n")
        for i, line in enumerate(lines):
            m = ARROW_RE.search(line)
            if m:
                start, end = line.split("-->")
                end = end.strip().split()[0]  # VTT settings such as `align:start` follow the end time
                cues.append(Cue(ms(start), ms(end), "\n".join(lines[i + 1:]).strip()))
                break
    return cues


def parse_ass(text: str) -> list[Cue]:
    """ASS/SSA Dialogue lines (override tags such as {\\i1} removed)."""
    cues, fields = [], None
    for line in text.split("\n"):
        if line.startswith("Format:") and fields is None and "Start" in line:
            fields = [f.strip() for f in line[7:].split(",")]
        elif line.startswith("Dialogue:") and fields:
            parts = line[9:].split(",", len(fields) - 1)
            row = dict(zip(fields, parts, strict=False))
            text_part = re.sub(r"\{[^}]*\}", "", row["Text"]).replace("\\N", "\n").replace("\\n", "\n")
            cues.append(Cue(ass_ms(row["Start"]), ass_ms(row["End"]), text_part.strip()))
    return cues


def ass_ms(value: str) -> int:
    h, m, s = value.strip().split(":")
    return round(((int(h) * 60 + int(m)) * 60 + float(s)) * 1000)


def load(path: Path) -> list[Cue]:
    text = read_text(path)
    cues = parse_ass(text) if path.suffix.lower() in (".ass", ".ssa") else parse_blocks(text)
    return sorted(cues, key=lambda c: c.start)


def to_srt(cues: list[Cue]) -> str:
    return "\n".join(f"{i}\n{stamp(c.start)} --> {stamp(c.end)}\n{c.text}\n" for i, c in enumerate(cues, 1))


def to_vtt(cues: list[Cue]) -> str:
    return "WEBVTT\n\n" + "\n".join(f"{stamp(c.start, '.')} --> {stamp(c.end, '.')}\n{c.text}\n" for c in cues)


def to_ass(cues: list[Cue], font: str = "Noto Sans CJK SC") -> str:
    def t(v: int) -> str:
        return f"{v // 3_600_000}:{v // 60_000 % 60:02d}:{v // 1000 % 60:02d}.{v % 1000 // 10:02d}"

    head = ("[Script Info]\nScriptType: v4.00+\nPlayResX: 1920\nPlayResY: 1080\n\n[V4+ Styles]\n"
            "Format: Name, Fontname, Fontsize, PrimaryColour, OutlineColour, BorderStyle, Outline, Shadow, Alignment, MarginV\n"
            f"Style: Default,{font},60,&H00FFFFFF,&H00000000,1,3,0,2,40\n\n[Events]\n"
            "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n")
    return head + "".join(f"Dialogue: 0,{t(c.start)},{t(c.end)},Default,,0,0,0,,{c.text.replace(chr(10), chr(92) + 'N')}\n" for c in cues)


WRITERS = {".srt": to_srt, ".vtt": to_vtt, ".ass": to_ass}


def shift(cues: list[Cue], offset_ms: int, after_ms: int = 0, factor: float = 1.0) -> list[Cue]:
    """Cues from `after_ms` on moved by offset (and stretched by factor, for 23.976/25 fps drift)."""
    return [Cue(round(c.start * factor) + offset_ms, round(c.end * factor) + offset_ms, c.text) if c.start >= after_ms else c
            for c in cues]


def merge(first: list[Cue], second: list[Cue]) -> list[Cue]:
    """Bilingual cues: each cue of `first` gets the text of the `second` cue overlapping it most."""
    out = []
    for c in first:
        best = max(second, key=lambda o: min(c.end, o.end) - max(c.start, o.start), default=None)
        overlap = best and min(c.end, best.end) - max(c.start, best.start) > 0
        out.append(Cue(c.start, c.end, f"{c.text}\n{best.text}" if overlap else c.text))
    return out


def problems(cues: list[Cue]) -> list[str]:
    """Cues that end before they start, overlap the next one, or are empty."""
    found = []
    for i, c in enumerate(cues, 1):
        if c.end <= c.start:
            found.append(f"cue {i} ends before it starts")
        if not c.text:
            found.append(f"cue {i} is empty")
        if i < len(cues) and cues[i].start < c.end:
            found.append(f"cue {i} overlaps cue {i + 1}")
    return found


def burn_command(video: str, subs: str, out: str, font: str | None) -> list[str]:
    """ffmpeg argv drawing the subtitles into the picture (paths escaped for the filter syntax)."""
    path = str(Path(subs).resolve()).replace("\\", "/").replace(":", "\\:").replace("'", "\\'")
    style = f":force_style='FontName={font}'" if font else ""
    return [shutil.which("ffmpeg") or "ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-n", "-i", video,
            "-vf", f"subtitles='{path}'{style}", "-c:v", "libx264", "-crf", "20", "-c:a", "copy", out]


def write(cues: list[Cue], out: Path, force: bool) -> dict:
    if out.exists() and not force:
        raise FileExistsError(f"{out} exists; use --force")
    writer = WRITERS.get(out.suffix.lower())
    if writer is None:
        raise ValueError(f"unknown subtitle type {out.suffix}; use .srt, .vtt or .ass")
    out.write_text(writer(cues), encoding="utf-8")
    return {"out": str(out), "cues": len(cues), "first": stamp(cues[0].start) if cues else None,
            "last_end": stamp(cues[-1].end) if cues else None}


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("shift", help="move timings by --seconds (negative = earlier)")
    s.add_argument("input")
    s.add_argument("--seconds", type=float, required=True)
    s.add_argument("--after", default="0", help="only cues starting at or after this time (e.g. 00:10:00,000 or 600)")
    s.add_argument("--factor", type=float, default=1.0, help="stretch timings, e.g. 25/23.976 = 1.0427")
    c = sub.add_parser("convert", help="change format by the --out extension")
    c.add_argument("input")
    m = sub.add_parser("merge", help="two languages into one bilingual file")
    m.add_argument("input")
    m.add_argument("second")
    k = sub.add_parser("check", help="count cues and report timing problems")
    k.add_argument("input")
    b = sub.add_parser("burn", help="draw subtitles into the video with ffmpeg")
    b.add_argument("video")
    b.add_argument("subs")
    b.add_argument("--font", help="e.g. 'Noto Sans CJK SC' or 'Microsoft YaHei' for Chinese")
    b.add_argument("--dry-run", action="store_true")
    for p in (s, c, m, b):
        p.add_argument("--out", required=True)
        p.add_argument("--force", action="store_true")
    for p in sub.choices.values():
        p.add_argument("--json", action="store_true")
    return ap


def seconds_or_stamp(value: str) -> int:
    return ms(value) if ":" in value else round(float(value) * 1000)


def run(a) -> dict:
    """Carry out one command and describe the result."""
    if a.cmd == "burn":
        cmd = burn_command(a.video, a.subs, a.out, a.font)
        if a.dry_run:
            return {"command": cmd, "dry_run": True}
        if not shutil.which("ffmpeg"):
            raise RuntimeError("ffmpeg is not installed (needed only for burning in)")
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=7200)
        if proc.returncode:
            raise RuntimeError(f"ffmpeg failed: {proc.stderr.strip()[-400:]}")
        return {"command": cmd, "out": a.out}
    cues = load(Path(a.input))
    if a.cmd == "check":
        return {"cues": len(cues), "problems": problems(cues)}
    if Path(a.out).resolve() == Path(a.input).resolve():
        raise ValueError("write to a new file; the original stays as it is")
    if a.cmd == "shift":
        cues = shift(cues, round(a.seconds * 1000), seconds_or_stamp(a.after), a.factor)
    elif a.cmd == "merge":
        cues = merge(cues, load(Path(a.second)))
    return {**write(cues, Path(a.out), a.force), "problems": problems(cues)}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit 0 ok, 2 bad input, 3 ffmpeg missing or failed."""
    args = parser().parse_args(argv)
    try:
        report = run(args)
    except (OSError, ValueError, AttributeError) as exc:
        print(json.dumps({"error": str(exc)}, ensure_ascii=False))
        return 2
    except RuntimeError as exc:
        print(json.dumps({"error": str(exc)}, ensure_ascii=False))
        return 3
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
