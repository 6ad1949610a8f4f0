#!/usr/bin/env python3
"""Parse Python / Node / Java stack traces into frames and a likely cause; optionally run a Python script to reproduce."""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

PY_FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)(?:, in (?P<func>.+))?')
JS_FRAME = re.compile(r"^\s*at (?:(?P<func>[^(]+?) \()?(?P<file>[^():]+(?::\\[^():]+)?):(?P<line>\d+):\d+\)?")
JAVA_FRAME = re.compile(r"^\s*at (?P<func>[\w$.<>]+)\((?P<file>[\w$.]+):(?P<line>\d+)\)")
EXC_LINE = re.compile(r"^(?P<type>[\w.]*(?:Error|Exception|Warning|Interrupt|Exit)\w*)(?::\s*(?P<msg>.*))?$")
# Import names whose pip package is called something else.
PIP_NAMES = {"cv2": "opencv-python", "PIL": "Pillow", "yaml": "PyYAML", "sklearn": "scikit-learn",
             "bs4": "beautifulsoup4", "docx": "python-docx", "pptx": "python-pptx", "dateutil": "python-dateutil",
             "fitz": "PyMuPDF", "Crypto": "pycryptodome", "dotenv": "python-dotenv", "win32api": "pywin32",
             "magic": "python-magic", "serial": "pyserial", "jwt": "PyJWT", "attr": "attrs", "skimage": "scikit-image"}


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def frames_of(lines: list[str]) -> tuple[str, list[dict]]:
    """The trace's language and its frames, innermost last (as Python prints them)."""
    py = [dict(m.groupdict(), code=lines[i + 1].strip() if i + 1 < len(lines) and not PY_FRAME.match(lines[i + 1]) else "")
          for i, ln in enumerate(lines) if (m := PY_FRAME.match(ln))]
    if py:
        return "python", [{**f, "line": int(f["line"])} for f in py]
    java = [m.groupdict() for ln in lines if (m := JAVA_FRAME.match(ln))]
    if java:
        return "java", [{**f, "line": int(f["line"])} for f in reversed(java)]
    js = [m.groupdict() for ln in lines if (m := JS_FRAME.match(ln))]
    return ("javascript" if js else "unknown"), [{**f, "line": int(f["line"])} for f in reversed(js)]


def exception_of(lines: list[str]) -> tuple[str, str]:
    """The last line that names an exception type, split into type and message."""
    for ln in reversed(lines):
        text = ln.strip().removeprefix("Uncaught ").split("Exception in thread", 1)[-1]
        text = re.sub(r'^"[^"]*"\s*', "", text.strip())
        m = EXC_LINE.match(text)
        if m:
            return m["type"], (m["msg"] or "").strip()
    return "", (lines[-1].strip() if lines else "")


def diagnose(exc: str, msg: str, frames: list[dict]) -> dict:
    """A likely cause and a concrete next step for common errors."""
    short = exc.rsplit(".", 1)[-1]
    if short in ("ModuleNotFoundError", "ImportError") and (m := re.search(r"No module named '([\w.]+)'", msg)):
        top = m[1].split(".")[0]
        if top in sys.stdlib_module_names:
            return {"cause": f"'{m[1]}' is part of the standard library: check the spelling or the Python version"}
        return {"cause": f"package for '{top}' is not installed in this environment",
                "fix": f"pip install {PIP_NAMES.get(top, top)}", "note": "install into the same interpreter that runs the script"}
    if short == "NameError" and (m := re.search(r"name '(\w+)' is not defined", msg)):
        name = m[1]
        if name in sys.stdlib_module_names or name in PIP_NAMES:
            return {"cause": f"module '{name}' is used but never imported", "fix": f"add `import {name}` at the top",
                    "patch": {"file": frames[-1]["file"] if frames else None, "insert_line": 1, "text": f"import {name}"}}
        return {"cause": f"'{name}' is used before it is defined (typo, wrong scope or missing import)"}
    hints = {
        "FileNotFoundError": "the path does not exist relative to the working directory; print os.getcwd() and use an absolute path",
        "UnicodeDecodeError": "the file is not in the assumed encoding; Chinese Windows files are often GBK: open(..., encoding='gbk') or detect it",
        "KeyError": "the key is missing: check spelling/case of the key or column name, or use .get()",
        "IndexError": "an index past the end: check the length first (empty list, off-by-one)",
        "ZeroDivisionError": "a divisor is zero: guard the division",
        "PermissionError": "the file is open in another program (Excel/Word) or not writable; close it or choose another path",
        "ReferenceError": "a variable is used before it is declared or imported",
        "NullPointerException": "an object is null at the innermost frame; check where it is assigned",
    }
    if "NoneType" in msg:
        return {"cause": "a value is None where an object was expected: a function returned None or a lookup found nothing"}
    if "Cannot find module" in msg:
        return {"cause": "a Node package or file is missing", "fix": "npm install, or fix the relative path"}
    if "Cannot read properties of undefined" in msg or "Cannot read properties of null" in msg:
        return {"cause": "an object is undefined/null at the innermost frame; check the data before the property access"}
    return {"cause": hints.get(short, "read the innermost frame of your own code and the message")}


def analyse(text: str) -> dict:
    """Everything the model needs to start fixing: language, exception, frames, the user's innermost frame."""
    lines = [ln.rstrip() for ln in text.splitlines() if ln.strip()]
    lang, frames = frames_of(lines)
    exc, msg = exception_of(lines)
    own = [f for f in frames if not re.search(r"site-packages|dist-packages|node_modules|[/\\]lib[/\\]python|<frozen", f["file"])]
    return {"language": lang, "exception": exc, "message": msg, "frames": frames[-15:],
            "innermost_own_frame": own[-1] if own else (frames[-1] if frames else None), **diagnose(exc, msg, frames)}


def main(argv: list[str] | None = None) -> None:
    """parse a saved trace, or pyrun a Python script and parse its failure."""
    ap = argparse.ArgumentParser(description="understand a stack trace")
    ap.add_argument("action", choices=["parse", "pyrun"])
    ap.add_argument("target", help="parse: a text file holding the error; pyrun: a .py file to run")
    ap.add_argument("args", nargs="*", help="pyrun: arguments for the script")
    ap.add_argument("--text", action="store_true", help="parse: target is the error text itself")
    ap.add_argument("--timeout", type=int, default=60)
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    if a.action == "parse":
        text = a.target if a.text else Path(a.target).read_text(encoding="utf-8", errors="replace")
        out = {"ok": True, **analyse(text)}
    else:
        script = Path(a.target)
        if not script.is_file():
            fail(f"no such script: {a.target}")
        try:
            proc = subprocess.run([sys.executable, str(script), *a.args], capture_output=True, text=True,
                                  encoding="utf-8", errors="replace", timeout=a.timeout, cwd=script.parent)
        except subprocess.TimeoutExpired:
            fail(f"the script did not finish within {a.timeout} s (waiting for input or an endless loop?)", 1)
        out = {"ok": True, "exit_code": proc.returncode, "stdout_tail": proc.stdout[-2000:]}
        if proc.returncode != 0:
            out.update(stderr_tail=proc.stderr[-4000:], **analyse(proc.stderr))
    print(json.dumps(out, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
