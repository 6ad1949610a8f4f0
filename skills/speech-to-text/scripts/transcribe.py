#!/usr/bin/env python3
"""Transcribe audio to timestamped text with a local Whisper model (faster-whisper); also plans chunks and writes SRT/TXT from segments."""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

MODEL_HINT = ("faster-whisper is not installed: pip install faster-whisper; the first run of a model size downloads it "
              "once (small ≈ 480 MB), or pass --model <folder> holding a converted model for offline use")


def chunks(total: float, length: float, overlap: float) -> list[dict]:
    """Windows [start, end) covering `total` seconds, each `length` long, overlapping by `overlap` (for APIs with size limits)."""
    if length <= overlap:
        raise ValueError("chunk length must be longer than the overlap")
    out, start = [], 0.0
    while start < total:
        end = min(total, start + length)
        out.append({"index": len(out), "start": round(start, 3), "end": round(end, 3)})
        if end >= total:
            break
        start = end - overlap
    return out


def srt_time(seconds: float) -> str:
    milli = round(seconds * 1000)
    h, rest = divmod(milli, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{milli:03d}"


def merge_chunks(parts: list[dict]) -> list[dict]:
    """Segments of consecutive chunks on one time line, dropping repeats from the overlaps."""
    merged: list[dict] = []
    for part in parts:
        for seg in part["segments"]:
            start, end = seg["start"] + part["offset"], seg["end"] + part["offset"]
            if merged and start < merged[-1]["end"] - 0.2 and seg["text"].strip() in merged[-1]["text"]:
                continue  # heard twice in the overlap
            merged.append({"start": round(start, 3), "end": round(end, 3), "text": seg["text"].strip()})
    return merged


def to_srt(segments: list[dict], max_chars: int = 42) -> str:
    """Numbered SRT cues; long segments wrap onto two lines."""
    blocks = []
    for i, seg in enumerate(segments, 1):
        text = seg["text"].strip()
        if len(text) > max_chars:
            cut = text.rfind(" ", 0, len(text) // 2 + 8)
            cut = cut if cut > 0 else math.ceil(len(text) / 2)
            text = text[:cut].rstrip() + "\n" + text[cut:].lstrip()
        blocks.append(f"{i}\n{srt_time(seg['start'])} --> {srt_time(seg['end'])}\n{text}\n")
    return "\n".join(blocks)


def to_txt(segments: list[dict], stamps: bool = True) -> str:
    def mmss(s: float) -> str:
        return f"[{int(s // 3600):02d}:{int(s // 60 % 60):02d}:{int(s % 60):02d}] "

    return "\n".join((mmss(s["start"]) if stamps else "") + s["text"].strip() for s in segments) + "\n"


def transcribe(audio: Path, model: str, language: str | None, threads: int) -> dict:
    """Segments from faster-whisper (CPU, int8), with the detected language."""
    from faster_whisper import WhisperModel

    whisper = WhisperModel(model, device="cpu", compute_type="int8", cpu_threads=threads)
    segments, info = whisper.transcribe(str(audio), language=language, vad_filter=True, beam_size=5)
    rows = [{"start": round(s.start, 3), "end": round(s.end, 3), "text": s.text.strip()} for s in segments]
    return {"language": info.language, "duration": round(info.duration, 3), "segments": rows}


def write_outputs(segments: list[dict], out: Path, fmt: str) -> list[str]:
    written = []
    for kind in (["srt", "txt"] if fmt == "both" else [fmt]):
        target = out.with_suffix(f".{kind}")
        target.write_text(to_srt(segments) if kind == "srt" else to_txt(segments), encoding="utf-8")
        written.append(str(target))
    return written


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit 0 ok, 2 bad input, 3 no speech engine."""
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("transcribe")
    t.add_argument("audio")
    t.add_argument("--model", default="small", help="tiny / base / small / medium / large-v3, or a model folder")
    t.add_argument("--language", help="zh, en, … (default: detect)")
    t.add_argument("--threads", type=int, default=2)
    c = sub.add_parser("chunks", help="plan windows for long recordings")
    c.add_argument("--duration", type=float, required=True, help="total seconds")
    c.add_argument("--length", type=float, default=600)
    c.add_argument("--overlap", type=float, default=5)
    w = sub.add_parser("write", help="segments JSON (or a list of chunk results with offsets) to SRT/TXT")
    w.add_argument("segments", help='a JSON file: {"segments": [...]} or [{"offset": s, "segments": [...]}, ...]')
    for p in (t, w):
        p.add_argument("--out", required=True, help="output path without or with extension")
        p.add_argument("--format", choices=["srt", "txt", "both"], default="both")
    for p in (t, c, w):
        p.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    try:
        if a.cmd == "chunks":
            print(json.dumps({"chunks": chunks(a.duration, a.length, a.overlap)}, indent=1))
            return 0
        if a.cmd == "write":
            data = json.loads(Path(a.segments).read_text(encoding="utf-8"))
            segments = merge_chunks(data) if isinstance(data, list) else data["segments"]
            print(json.dumps({"segments": len(segments), "written": write_outputs(segments, Path(a.out), a.format)}, ensure_ascii=False))
            return 0
        if not Path(a.audio).is_file():
            raise FileNotFoundError(a.audio)
        result = transcribe(Path(a.audio), a.model, a.language, a.threads)
    except ImportError:
        print(json.dumps({"error": MODEL_HINT}, ensure_ascii=False))
        return 3
    except (OSError, ValueError, KeyError) as exc:
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}, ensure_ascii=False))
        return 2
    written = write_outputs(result["segments"], Path(a.out), a.format)
    print(json.dumps({"language": result["language"], "duration": result["duration"], "segments": len(result["segments"]),
                      "written": written, "preview": to_txt(result["segments"][:5])}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
