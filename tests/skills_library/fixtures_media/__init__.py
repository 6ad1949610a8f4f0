"""Media fixtures made on the fly: photos with EXIF, noise images, a sine WAV, an ffmpeg test clip, an SRT file."""

from __future__ import annotations

import math
import os
import shutil
import struct
import subprocess
import wave
from pathlib import Path

from PIL import Image, ImageDraw
from PIL.TiffImagePlugin import IFDRational

FFMPEG = shutil.which("ffmpeg")


def photo(path: Path, size=(320, 240), colour="steelblue", taken: str | None = None, gps: tuple | None = None,
          pattern: bool = True) -> Path:
    """A JPEG with shapes (so it is not blurry) and optional EXIF date taken and GPS position (lat, lon)."""
    img = Image.new("RGB", size, colour)
    if pattern:
        draw = ImageDraw.Draw(img)
        for i in range(0, size[0], 20):
            draw.rectangle((i, 0, i + 9, size[1]), fill="white")
        draw.ellipse((size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2), fill="black")
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Canon", "EOS R6"
    if taken:
        exif[0x8769] = {0x9003: taken}
    if gps:
        exif[0x8825] = {1: "N" if gps[0] >= 0 else "S", 2: _dms(gps[0]), 3: "E" if gps[1] >= 0 else "W", 4: _dms(gps[1])}
    img.save(path, "JPEG", quality=92, exif=exif)
    return path


def _dms(value: float) -> tuple:
    value = abs(value)
    d, m = int(value), int(value % 1 * 60)
    s = round((value - d - m / 60) * 3600 * 100)
    return IFDRational(d), IFDRational(m), IFDRational(s, 100)


def noise_png(path: Path, size=(900, 800)) -> Path:
    """Random pixels: about 2 MB as PNG and hard to compress, the worst case for a size target."""
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(path)
    return path


def sine_wav(path: Path, seconds: float = 2.0, rate: int = 44100, freq: float = 440.0) -> Path:
    """A mono 16-bit sine tone."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(struct.pack("<h", int(9000 * math.sin(2 * math.pi * freq * i / rate)))
                               for i in range(int(seconds * rate))))
    return path


def video_clip(path: Path, seconds: int = 3, fps: int = 10) -> Path:
    """A small H.264 + AAC clip from ffmpeg's test sources (needs ffmpeg)."""
    subprocess.run([FFMPEG, "-loglevel", "error", "-y", "-f", "lavfi", "-i", f"testsrc=duration={seconds}:size=160x120:rate={fps}",
                    "-f", "lavfi", "-i", f"sine=duration={seconds}", "-shortest", "-c:v", "libx264", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", str(path)], check=True, timeout=60)
    return path


SRT = """1
00:00:01,000 --> 00:00:02,500
你好，欢迎收看

2
00:00:03,000 --> 00:00:04,200
第二句字幕
两行文字

3
00:01:05,250 --> 00:01:07,000
最后一句
"""


def srt(path: Path, encoding: str = "utf-8", text: str = SRT) -> Path:
    """A three-cue Chinese SRT file (CRLF line ends, as Windows tools write them)."""
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path
