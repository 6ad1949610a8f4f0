#!/usr/bin/env python3
"""Trim, join, compress, rotate, rescale videos, extract audio, grab frames and make GIFs with ffmpeg (--dry-run prints the command)."""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


class VideoError(Exception):
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
        raise VideoError("ffmpeg is not installed (Windows: winget install Gyan.FFmpeg; macOS: brew install ffmpeg; "
                         "Debian/Ubuntu: apt install ffmpeg; or pip install imageio-ffmpeg)") from exc


def seconds(value: str) -> float:
    """Seconds from 90, 1:30 or 01:02:03.5."""
    total = 0.0
    for part in str(value).split(":"):
        total = total * 60 + float(part)
    return total


def even_scale(height: int | None, width: int | None) -> str | None:
    """A scale filter keeping the aspect ratio with even sizes (H.264 needs them)."""
    if height:
        return f"scale=-2:{height}"
    return f"scale={width}:-2" if width else None


def trim_args(a) -> list[str]:
    """-ss before -i seeks fast; with --copy no re-encode (cuts land on keyframes)."""
    cmd = ["-ss", f"{seconds(a.start):.3f}"] if a.start else []
    cmd += ["-i", a.input]
    length = seconds(a.end) - seconds(a.start or 0) if a.end else seconds(a.duration) if a.duration else None
    if length is not None:
        if length <= 0:
            raise VideoError("the end must come after the start")
        cmd += ["-t", f"{length:.3f}"]
    return cmd + (["-c", "copy"] if a.copy else ["-c:v", "libx264", "-crf", "20", "-preset", "veryfast", "-c:a", "aac"])


def video_filters(a) -> list[str]:
    """Rotation and scaling requested on the command line, as -vf parts."""
    rotate = {90: "transpose=1", 180: "transpose=1,transpose=1", 270: "transpose=2"}.get(getattr(a, "rotate", 0) or 0)
    return [f for f in (rotate, even_scale(getattr(a, "height", None), getattr(a, "width", None))) if f]


def build(a, ffmpeg: str, workdir: Path) -> list[str]:
    """The ffmpeg argv for the chosen operation."""
    head = [ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y" if a.force else "-n"]
    if a.cmd == "trim":
        return [*head, *trim_args(a), a.out]
    if a.cmd == "join":
        listing = workdir / "join.txt"  # the concat demuxer quotes paths with single quotes
        listing.write_text("".join("file '" + str(Path(p).resolve()).replace("'", "'\\''") + "'\n" for p in a.inputs), encoding="utf-8")
        return [*head, "-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy", a.out]
    if a.cmd == "extract-audio":
        codec = ["-c:a", "libmp3lame", "-b:a", "192k"] if a.out.lower().endswith(".mp3") else ["-c:a", "copy"] if a.out.lower().endswith((".m4a", ".aac")) else []
        return [*head, "-i", a.input, "-vn", *codec, a.out]
    if a.cmd == "frames":
        pattern = str(Path(a.out) / f"{Path(a.input).stem}_%04d.png")
        if a.at:
            return [*head, "-ss", f"{seconds(a.at):.3f}", "-i", a.input, "-frames:v", "1", str(Path(a.out) / f"{Path(a.input).stem}_{a.at.replace(':', '-')}.png")]
        return [*head, "-i", a.input, "-vf", f"fps=1/{a.every}", pattern]
    if a.cmd == "gif":
        span = (["-ss", f"{seconds(a.start):.3f}"] if a.start else []) + ["-i", a.input] + (["-t", f"{seconds(a.duration):.3f}"] if a.duration else [])
        scale = f"scale={a.width}:-1:flags=lanczos"
        graph = f"fps={a.fps},{scale},split[s0][s1];[s0]palettegen=max_colors=128[p];[s1][p]paletteuse=dither=bayer"
        return [*head, *span, "-filter_complex", graph, "-loop", "0", a.out]
    filters = video_filters(a)
    vf = ["-vf", ",".join(filters)] if filters else []
    crf = str(a.crf) if a.cmd == "compress" else "20"
    return [*head, "-i", a.input, *vf, "-c:v", "libx264", "-crf", crf, "-preset", "medium", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", a.out]


def probe(path: str) -> dict:
    """Duration, size, frame rate and codecs from ffprobe."""
    ffprobe = shutil.which("ffprobe")
    if not ffprobe:
        raise VideoError("ffprobe (part of ffmpeg) is not installed")
    proc = subprocess.run([ffprobe, "-v", "error", "-show_entries", "format=duration,size,bit_rate:stream=codec_type,codec_name,width,height,r_frame_rate,nb_frames",
                           "-of", "json", path], capture_output=True, text=True, timeout=60)
    if proc.returncode:
        raise VideoError(f"cannot read {path}: {proc.stderr.strip()[:200]}")
    data = json.loads(proc.stdout)
    video = next((s for s in data.get("streams", []) if s.get("codec_type") == "video"), {})
    audio = next((s for s in data.get("streams", []) if s.get("codec_type") == "audio"), {})
    num, _, den = video.get("r_frame_rate", "0/1").partition("/")
    return {"file": path, "duration": round(float(data["format"].get("duration", 0)), 3), "bytes": int(data["format"].get("size", 0)),
            "width": video.get("width"), "height": video.get("height"), "fps": round(float(num) / float(den or 1), 3) if num else None,
            "video_codec": video.get("codec_name"), "audio_codec": audio.get("codec_name")}


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("probe").add_argument("input")
    flag = {"action": "store_true"}
    specs: dict[str, dict[str, dict]] = {
        "trim": {"--start": {}, "--end": {}, "--duration": {}, "--copy": flag},
        "compress": {"--crf": {"type": int, "default": 26}, "--height": {"type": int}, "--width": {"type": int}},
        "convert": {"--height": {"type": int}, "--width": {"type": int}},
        "rotate": {"--rotate": {"type": int, "default": 90}},
        "scale": {"--height": {"type": int}, "--width": {"type": int}},
        "extract-audio": {}, "join": {},
        "frames": {"--every": {"type": float, "default": 1.0}, "--at": {}},
        "gif": {"--start": {}, "--duration": {}, "--fps": {"type": int, "default": 10}, "--width": {"type": int, "default": 480}},
    }
    for name, options in specs.items():
        p = sub.add_parser(name)
        p.add_argument("inputs" if name == "join" else "input", nargs="+" if name == "join" else None)
        p.add_argument("--out", required=True, help="output file (frames: a folder)")
        for option, kwargs in options.items():
            p.add_argument(option, **kwargs)
        p.add_argument("--force", action="store_true", help="replace an existing output (never an input)")
        p.add_argument("--dry-run", action="store_true", help="print the ffmpeg command only")
    for p in sub.choices.values():
        p.add_argument("--json", action="store_true")
    return ap


def run(a) -> dict:
    """Check paths, build and run the command, probe the result."""
    if a.cmd == "probe":
        return probe(a.input)
    inputs = a.inputs if a.cmd == "join" else [a.input]
    missing = [p for p in inputs if not Path(p).is_file()]
    if missing:
        raise VideoError(f"not found: {', '.join(missing)}")
    if any(Path(p).resolve() == Path(a.out).resolve() for p in inputs):
        raise VideoError("the output must not replace an input")
    if a.cmd == "rotate" and a.rotate not in (90, 180, 270):
        raise VideoError("rotate by 90, 180 or 270 (clockwise)")
    ffmpeg = "ffmpeg" if a.dry_run and not shutil.which("ffmpeg") else ffmpeg_path()
    with tempfile.TemporaryDirectory() as tmp:
        cmd = build(a, ffmpeg, Path(tmp))
        if a.dry_run:
            return {"command": cmd, "out": a.out, "dry_run": True}
        if a.cmd == "frames":
            Path(a.out).mkdir(parents=True, exist_ok=True)
        elif Path(a.out).exists() and not a.force:
            raise VideoError(f"{a.out} exists; use --force to replace it")
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=7200)
    if proc.returncode:
        raise VideoError(f"ffmpeg failed: {proc.stderr.strip()[-400:]}")
    report = {"command": cmd, "out": a.out, "dry_run": False}
    if a.cmd == "frames":
        return {**report, "frames": sorted(str(p) for p in Path(a.out).glob(f"{Path(a.input).stem}_*.png"))}
    if a.cmd != "gif" and shutil.which("ffprobe"):
        report["result"] = probe(a.out)
    report["bytes_before"], report["bytes_after"] = sum(Path(p).stat().st_size for p in inputs), Path(a.out).stat().st_size
    if a.cmd == "compress" and report["bytes_after"] >= report["bytes_before"]:
        report["warning"] = "the result is not smaller: raise --crf (e.g. 30) or lower --height; keep the original"
    return report


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit 0 ok, 2 bad input, 3 ffmpeg missing or failed."""
    args = parser().parse_args(argv)
    try:
        report = run(args)
    except VideoError as exc:
        print(json.dumps({"error": str(exc)}, ensure_ascii=False))
        return 3 if str(exc).startswith(("ffmpeg", "ffprobe", "cannot")) else 2
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
