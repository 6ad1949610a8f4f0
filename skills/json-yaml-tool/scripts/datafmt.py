#!/usr/bin/env python3
"""Validate, pretty-print, query, diff and convert JSON, YAML, TOML and XML (stdlib + PyYAML)."""
from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
import xml.etree.ElementTree as ET
from datetime import date, datetime
from pathlib import Path

FORMATS = {".json": "json", ".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".xml": "xml"}


class FormatError(ValueError):
    """A syntax error with the line and column where the parser stopped (1-based)."""

    def __init__(self, fmt: str, message: str, line: int | None, column: int | None) -> None:
        super().__init__(message)
        self.fmt, self.line, self.column = fmt, line, column


def fail(message: str, code: int = 2, **extra) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message, **extra}, ensure_ascii=False))
    sys.exit(code)


def fmt_of(path: str, given: str | None) -> str:
    """The format named on the command line, else guessed from the extension."""
    fmt = given or FORMATS.get(Path(path).suffix.lower())
    if not fmt:
        fail(f"cannot tell the format of {path}; pass --from json|yaml|toml|xml")
    return fmt


def xml_to_data(el: ET.Element):
    """An element as dict: attributes under @name, repeated children as lists, text as #text."""
    out: dict = {f"@{k}": v for k, v in el.attrib.items()}
    for child in el:
        value = xml_to_data(child)
        if child.tag in out:
            out[child.tag] = out[child.tag] if isinstance(out[child.tag], list) else [out[child.tag]]
            out[child.tag].append(value)
        else:
            out[child.tag] = value
    text = (el.text or "").strip()
    if text and out:
        out["#text"] = text
    return out or text or None


def parse_text(text: str, fmt: str):
    """Parse a document; FormatError with the position on a syntax error."""
    try:
        if fmt == "json":
            return json.loads(text)
        if fmt == "yaml":
            import yaml

            return yaml.safe_load(text)
        if fmt == "toml":
            return tomllib.loads(text)
        root = ET.fromstring(text)
        return {root.tag: xml_to_data(root)}
    except json.JSONDecodeError as exc:
        raise FormatError(fmt, exc.msg, exc.lineno, exc.colno) from exc
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+), column (\d+)", str(exc))
        raise FormatError(fmt, str(exc), *(map(int, m.groups()) if m else (None, None))) from exc
    except ET.ParseError as exc:
        raise FormatError(fmt, str(exc), exc.position[0], exc.position[1] + 1) from exc
    except Exception as exc:  # PyYAML errors carry a mark; anything else has no position
        mark = getattr(exc, "problem_mark", None)
        if mark is None:
            raise
        raise FormatError(fmt, str(getattr(exc, "problem", exc)), mark.line + 1, mark.column + 1) from exc


def _toml_scalar(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, datetime | date):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(_toml_scalar(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_key(k)} = {_toml_scalar(x)}" for k, x in v.items()) + "}"
    if v is None:
        raise ValueError("TOML has no null value; remove or replace the empty entries first")
    return json.dumps(str(v), ensure_ascii=False)


def _key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k, ensure_ascii=False)


def to_toml(data: dict, prefix: str = "") -> str:
    """A small TOML writer: scalars first, then sub-tables and arrays of tables."""
    if not isinstance(data, dict):
        raise ValueError("TOML needs a mapping at the top level")
    lines, tables = [], []
    for k, v in data.items():
        if isinstance(v, dict):
            tables.append(f"\n[{prefix}{_key(k)}]\n" + to_toml(v, f"{prefix}{_key(k)}.").lstrip("\n"))
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            tables += [f"\n[[{prefix}{_key(k)}]]\n" + to_toml(x, f"{prefix}{_key(k)}.").lstrip("\n") for x in v]
        else:
            lines.append(f"{_key(k)} = {_toml_scalar(v)}")
    return "\n".join(lines) + "".join(tables) + "\n"


def _to_xml(tag: str, value, parent: ET.Element | None = None) -> ET.Element:
    el = ET.Element(tag) if parent is None else ET.SubElement(parent, tag)
    if isinstance(value, dict):
        for k, v in value.items():
            if k.startswith("@"):
                el.set(k[1:], str(v))
            elif k == "#text":
                el.text = str(v)
            else:
                for item in v if isinstance(v, list) else [v]:
                    _to_xml(k, item, el)
    elif value is not None:
        el.text = str(value)
    return el


def dump(data, fmt: str, indent: int = 2) -> str:
    """Serialise data in a format (pretty by default)."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=indent, default=str) + "\n"
    if fmt == "yaml":
        import yaml

        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)
    if fmt == "toml":
        return to_toml(data)
    root = data if isinstance(data, dict) and len(data) == 1 else {"root": data}
    tag, value = next(iter(root.items()))
    el = _to_xml(tag, value)
    ET.indent(el)
    return ET.tostring(el, encoding="unicode") + "\n"


def query(data, path: str):
    """Dotted path with [n] and * wildcards (a.b[0].c, items[*].name); jmespath when it is installed and asked for."""
    results = [data]
    for part in re.findall(r"[^.\[\]]+|\[\*\]|\[-?\d+\]", path):
        nxt = []
        for r in results:
            if part in ("*", "[*]"):
                nxt += list(r.values()) if isinstance(r, dict) else list(r) if isinstance(r, list) else []
            elif part.startswith("[") and isinstance(r, list):
                i = int(part[1:-1])
                nxt += [r[i]] if -len(r) <= i < len(r) else []
            elif isinstance(r, dict) and part in r:
                nxt.append(r[part])
        results = nxt
    return results


def diff(a, b, path: str = "$") -> list[dict]:
    """Structural differences between two values, by path."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = [{"path": f"{path}.{k}", "change": "removed", "old": a[k]} for k in a if k not in b]
        out += [{"path": f"{path}.{k}", "change": "added", "new": b[k]} for k in b if k not in a]
        for k in a:
            if k in b:
                out += diff(a[k], b[k], f"{path}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list):
        out = []
        for i in range(max(len(a), len(b))):
            if i >= len(b):
                out.append({"path": f"{path}[{i}]", "change": "removed", "old": a[i]})
            elif i >= len(a):
                out.append({"path": f"{path}[{i}]", "change": "added", "new": b[i]})
            else:
                out += diff(a[i], b[i], f"{path}[{i}]")
        return out
    return [] if a == b else [{"path": path, "change": "changed", "old": a, "new": b}]


def load(path: str, fmt: str | None):
    """Read and parse a file (UTF-8, BOM tolerated)."""
    f = fmt_of(path, fmt)
    return parse_text(Path(path).read_text(encoding="utf-8-sig"), f), f


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description="JSON / YAML / TOML / XML multitool")
    ap.add_argument("action", choices=["validate", "pretty", "convert", "query", "diff"])
    ap.add_argument("file")
    ap.add_argument("other", nargs="?", help="diff: the second file; query: the path expression")
    ap.add_argument("--from", dest="src", choices=["json", "yaml", "toml", "xml"])
    ap.add_argument("--to", choices=["json", "yaml", "toml", "xml"])
    ap.add_argument("--out", help="write the result to this file (never the input itself)")
    ap.add_argument("--jmespath", action="store_true", help="query: use JMESPath syntax (needs the jmespath package)")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    return ap


def _act(a) -> dict:
    data, fmt = load(a.file, a.src)
    if a.action == "validate":
        return {"valid": True, "format": fmt, "top_level": type(data).__name__}
    if a.action == "query":
        if a.jmespath:
            import jmespath

            return {"results": jmespath.search(a.other or "@", data)}
        return {"results": query(data, a.other or "")}
    if a.action == "diff":
        other, _ = load(a.other, None)
        changes = diff(data, other)
        return {"identical": not changes, "changes": changes}
    text = dump(data, a.to or fmt if a.action == "convert" else fmt)
    if a.out:
        if Path(a.out).resolve() == Path(a.file).resolve():
            fail("refusing to overwrite the input; choose another --out")
        Path(a.out).write_text(text, encoding="utf-8")
        return {"written": a.out, "format": a.to or fmt}
    return {"text": text}


def main(argv: list[str] | None = None) -> None:
    """Run one action and print JSON; exit 1 on a syntax error (with line and column)."""
    a = _parser().parse_args(argv)
    try:
        out = _act(a)
    except FormatError as exc:
        fail(f"{exc.fmt} syntax error at line {exc.line}, column {exc.column}: {exc}", 1,
             valid=False, line=exc.line, column=exc.column)
    except (OSError, ValueError, ImportError) as exc:
        fail(str(exc))
    print(json.dumps({"ok": True, **out}, ensure_ascii=False, indent=None if a.json else 2, default=str))


if __name__ == "__main__":
    main()
