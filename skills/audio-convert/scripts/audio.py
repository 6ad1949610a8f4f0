#!/usr/bin/env python3
"""Convert, trim, join, normalise and re-speed audio with ffmpeg; prints the ffmpeg command, --dry-run runs nothing."""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

CODECS = {".mp3": ["-c:a", "libmp3lame"], ".m4a": ["-c:a", "aac"], ".aac": ["-c:a", "aac"], ".wav": ["-c:a", "pcm_s16le"],
          ".flac": ["-c:a", "flac"], ".ogg": ["-c:a", "libvorbis"], ".opus": ["-c:a", "libopus"], ".amr": ["-c:a", "libopencore_amrnb", "-ar", "8000", "-ac", "1"]}
LOSSY = {".mp3", ".m4a", ".aac", ".ogg", ".opus"}


class AudioError(Exception):
    """A problem the user can act on."""


def ffmpeg_path() -> str:
    """ffmpeg on PATH, or the binary bundled with imageio-ffmpeg."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError) as exc:
        raise AudioError("ffmpeg is not installed (Windows: winget install Gyan.FFmpeg; macOS: brew install ffmpeg; "
                         "Debian/Ubuntu: apt install ffmpeg; or pip install imageio-ffmpeg)") from exc


def timestamp(value: str) -> float:
    """Seconds from 90, 1:30, 01:02:03.5."""
    seconds = 0.0
    for part in value.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def atempo_chain(speed: float) -> str:
    """atempo accepts 0.5-2.0 per stage: chain stages for larger changes."""
    if speed <= 0:
        raise AudioError("speed must be positive")
    stages = []
    while speed > 2.0:
        stages.append(2.0)
        speed /= 2.0
    while speed < 0.5:
        stages.append(0.5)
        speed /= 0.5
    stages.append(speed)
    return ",".join(f"atempo={s:.6g}" for s in stages)


def encode_args(out: Path, bitrate: str | None) -> list[str]:
    """Codec (and bitrate for lossy formats) chosen from the output extension."""
    codec = CODECS.get(out.suffix.lower())
    if codec is None:
        raise AudioError(f"unsupported output type {out.suffix}; use one of {', '.join(CODECS)}")
    return codec + (["-b:a", bitrate] if bitrate and out.suffix.lower() in LOSSY else [])


def build(args, ffmpeg: str) -> list[str]:
    """The ffmpeg argv for the chosen operation."""
    out = Path(args.out)
    head = [ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y" if args.force else "-n"]
    if args.cmd == "join":
        inputs = sum((["-i", str(p)] for p in args.inputs), [])
        graph = "".join(f"[{i}:a]" for i in range(len(args.inputs))) + f"concat=n={len(args.inputs)}:v=0:a=1[a]"
        return [*head, *inputs, "-filter_complex", graph, "-map", "[a]", *encode_args(out, args.bitrate), str(out)]
    cmd = [*head]
    if args.cmd == "trim" and args.start:
        cmd += ["-ss", f"{timestamp(args.start):.3f}"]
    cmd += ["-i", args.input, "-vn"]
    if args.cmd == "trim":
        if args.end:
            cmd += ["-t", f"{timestamp(args.end) - timestamp(args.start or '0'):.3f}"]
        elif args.duration:
            cmd += ["-t", f"{timestamp(args.duration):.3f}"]
    filters = []
    if args.cmd == "normalize":
        filters.append("loudnorm=I=-16:TP=-1.5:LRA=11")
    if args.cmd == "speed":
        filters.append(atempo_chain(args.factor))
    if getattr(args, "fade", 0):
        filters.append(f"afade=t=in:d={args.fade}")
    if filters:
        cmd += ["-af", ",".join(filters)]
    if args.rate:
        cmd += ["-ar", str(args.rate)]
    if args.mono:
        cmd += ["-ac", "1"]
    return [*cmd, *encode_args(out, args.bitrate), str(out)]


def probe(path: str) -> dict:
    """Duration, codec, sample rate and channels from ffprobe (next to ffmpeg)."""
    ffprobe = shutil.which("ffprobe")
    if not ffprobe:
        raise AudioError("ffprobe (part of ffmpeg) is not installed")
    proc = subprocess.run([ffprobe, "-v", "error", "-show_entries", "format=duration,bit_rate:stream=codec_name,sample_rate,channels",
                           "-select_streams", "a:0", "-of", "json", path], capture_output=True, text=True, timeout=60)
    if proc.returncode:
        raise AudioError(f"cannot read {path}: {proc.stderr.strip()[:200]}")
    data = json.loads(proc.stdout)
    stream = (data.get("streams") or [{}])[0]
    return {"file": path, "duration": round(float(data["format"].get("duration", 0)), 3), "codec": stream.get("codec_name"),
            "sample_rate": int(stream.get("sample_rate", 0) or 0), "channels": stream.get("channels"),
            "bit_rate": int(data["format"].get("bit_rate", 0) or 0)}


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("probe").add_argument("input")
    ops = {"convert": "change format", "trim": "keep a time range", "normalize": "even out loudness (EBU R128)",
           "speed": "faster/slower without changing pitch", "join": "concatenate files in order"}
    for name, text in ops.items():
        p = sub.add_parser(name, help=text)
        if name == "join":
            p.add_argument("inputs", nargs="+")
        else:
            p.add_argument("input")
        p.add_argument("--out", required=True, help="output file; its extension picks the format")
        p.add_argument("--bitrate", default="192k")
        p.add_argument("--rate", type=int, help="sample rate, e.g. 16000 for speech recognition")
        p.add_argument("--mono", action="store_true")
        p.add_argument("--fade", type=float, default=0, help="fade-in seconds")
        p.add_argument("--force", action="store_true", help="replace an existing output (never an input)")
        p.add_argument("--dry-run", action="store_true", help="print the ffmpeg command only")
        if name == "trim":
            p.add_argument("--start", help="e.g. 1:05 or 65")
            p.add_argument("--end")
            p.add_argument("--duration")
        if name == "speed":
            p.add_argument("--factor", type=float, required=True, help="1.5 = 50 % faster")
    for p in sub.choices.values():
        p.add_argument("--json", action="store_true")
    return ap


def run(args) -> dict:
    """Check the paths, build the command, run it unless dry-run, and probe the result."""
    if args.cmd == "probe":
        return probe(args.input)
    inputs = args.inputs if args.cmd == "join" else [args.input]
    missing = [p for p in inputs if not Path(p).is_file()]
    if missing:
        raise AudioError(f"not found: {', '.join(missing)}")
    if any(Path(p).resolve() == Path(args.out).resolve() for p in inputs):
        raise AudioError("the output must not replace an input")
    ffmpeg = "ffmpeg" if args.dry_run and not shutil.which("ffmpeg") else ffmpeg_path()
    cmd = build(args, ffmpeg)
    report = {"command": cmd, "out": args.out, "dry_run": args.dry_run}
    if args.dry_run:
        return report
    if Path(args.out).exists() and not args.force:
        raise AudioError(f"{args.out} exists; use --force to replace it")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
    if proc.returncode:
        raise AudioError(f"ffmpeg failed: {proc.stderr.strip()[-400:]}")
    return {**report, "result": probe(args.out) if shutil.which("ffprobe") else None}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit 0 ok, 2 bad input, 3 ffmpeg missing or failed."""
    args = parser().parse_args(argv)
    try:
        report = run(args)
    except AudioError as exc:
        print(json.dumps({"error": str(exc)}, ensure_ascii=False))
        return 2 if str(exc).startswith(("not found", "the output", "unsupported", "speed")) else 3
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
