#!/usr/bin/env python3
"""Speak text or save it as audio with the system's offline voice: say (macOS), SAPI via PowerShell (Windows), espeak-ng (Linux)."""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CJK = range(0x4E00, 0xA000)


def engine(platform: str) -> str | None:
    """The offline engine available on this platform."""
    if platform == "darwin":
        return "say" if shutil.which("say") else None
    if platform.startswith("win"):
        return "sapi" if shutil.which("powershell") or shutil.which("pwsh") else None
    return next((e for e in ("espeak-ng", "espeak") if shutil.which(e)), None)


def is_chinese(text: str) -> bool:
    return sum(ord(c) in CJK for c in text) > len(text) * 0.2


def ps_quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def command(eng: str, text_file: Path, out: Path | None, voice: str | None, rate: int, chinese: bool) -> list[str]:
    """The argv that reads text_file aloud, or writes it to `out` (WAV; AIFF for say)."""
    if eng == "say":
        cmd = ["say", "-f", str(text_file), "-r", str(round(175 * rate / 100))]
        cmd += ["-v", voice or "Tingting"] if (voice or chinese) else []
        return cmd + (["-o", str(out)] if out else [])
    if eng == "sapi":
        speak = (f"Add-Type -AssemblyName System.Speech; $s = New-Object System.Speech.Synthesis.SpeechSynthesizer; "
                 f"$s.Rate = {max(-10, min(10, round((rate - 100) / 10)))}; ")
        speak += f"$s.SelectVoice({ps_quote(voice)}); " if voice else ""
        speak += f"$s.SetOutputToWaveFile({ps_quote(str(out))}); " if out else ""
        speak += f"$s.Speak([IO.File]::ReadAllText({ps_quote(str(text_file))}, [Text.Encoding]::UTF8)); $s.Dispose()"
        return [shutil.which("powershell") or "pwsh", "-NoProfile", "-Command", speak]
    cmd = [eng, "-f", str(text_file), "-s", str(round(160 * rate / 100)), "-v", voice or ("cmn" if chinese else "en")]
    return cmd + (["-w", str(out)] if out else [])


def list_voices(eng: str) -> str:
    cmd = {"say": ["say", "-v", "?"], "espeak-ng": ["espeak-ng", "--voices"], "espeak": ["espeak", "--voices"],
           "sapi": [shutil.which("powershell") or "pwsh", "-NoProfile", "-Command",
                    "Add-Type -AssemblyName System.Speech; (New-Object System.Speech.Synthesis.SpeechSynthesizer).GetInstalledVoices() | % { $_.VoiceInfo.Name }"]}[eng]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout


def wav_seconds(path: Path) -> float | None:
    import wave

    try:
        with wave.open(str(path)) as w:
            return round(w.getnframes() / w.getframerate(), 2)
    except (wave.Error, EOFError):
        return None


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit 0 ok, 2 bad input, 3 no voice engine or it failed."""
    ap = argparse.ArgumentParser(description=__doc__)
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--text")
    src.add_argument("--file", help="a UTF-8 text file to read")
    ap.add_argument("--out", help="save to this .wav (.aiff on macOS) instead of speaking")
    ap.add_argument("--voice", help="engine voice name (see --list-voices)")
    ap.add_argument("--rate", type=int, default=100, help="speed in percent of normal")
    ap.add_argument("--list-voices", action="store_true")
    ap.add_argument("--dry-run", action="store_true", help="print the command only")
    ap.add_argument("--force", action="store_true")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    eng = engine(sys.platform)
    if eng is None:
        print(json.dumps({"error": "no offline voice found: Linux → apt install espeak-ng (or pip install pyttsx3); "
                                   "an online neural voice needs edge-tts and network"}))
        return 3
    if a.list_voices:
        print(list_voices(eng))
        return 0
    text = a.text if a.text is not None else Path(a.file).read_text(encoding="utf-8") if a.file else None
    if not text or not text.strip():
        ap.error("give --text or --file")
    out = Path(a.out) if a.out else None
    if out and out.exists() and not a.force:
        print(json.dumps({"error": f"{out} exists; use --force"}, ensure_ascii=False))
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        text_file = Path(tmp) / "text.txt"
        text_file.write_text(text, encoding="utf-8")
        cmd = command(eng, text_file, out, a.voice, a.rate, is_chinese(text))
        report = {"engine": eng, "command": cmd, "chars": len(text), "chinese": is_chinese(text)}
        if a.dry_run:
            print(json.dumps(report, ensure_ascii=False, indent=1))
            return 0
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    if proc.returncode:
        print(json.dumps({**report, "error": proc.stderr.strip()[-300:]}, ensure_ascii=False))
        return 3
    if out:
        report.update(out=str(out), bytes=out.stat().st_size, seconds=wav_seconds(out))
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
