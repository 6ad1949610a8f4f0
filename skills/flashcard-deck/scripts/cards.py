#!/usr/bin/env python3
"""Turn word lists and notes into flashcards and export an Anki-importable deck.

Input lines like `term<TAB>meaning`, `term - meaning`, `term：meaning`, `term = meaning`, or Q:/A: pairs; a JSON list of
{"front", "back", "tags"} works too. Output: a UTF-8 TSV/CSV Anki imports directly (File > Import; the first lines
are Anki's `#separator` / `#html` / `#tags column` headers), or .apkg when the optional genanki package is present.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
from pathlib import Path

SEPARATORS = re.compile(r"\t|\s+[-–—=]\s+|[：:]\s*|\s*=\s*")


def parse(text: str) -> tuple[list[dict], list[str]]:
    """Cards and the lines that could not be split."""
    cards, skipped, question = [], [], None
    for raw in text.splitlines():
        line = re.sub(r"^(?:[-*•]|\d+[.)])\s+", "", raw.strip()).replace("**", "")
        if not line or line.startswith("#"):
            continue
        if m := re.match(r"^(Q|问)[:：.]\s*(.+)", line, re.I):
            question = m.group(2)
            continue
        if question and (m := re.match(r"^(A|答)[:：.]\s*(.+)", line, re.I)):
            cards.append({"front": question, "back": m.group(2)})
            question = None
            continue
        parts = SEPARATORS.split(line, maxsplit=1)
        if len(parts) == 2 and parts[0].strip() and parts[1].strip():
            cards.append({"front": parts[0].strip(), "back": parts[1].strip()})
        else:
            skipped.append(raw)
    return cards, skipped


def dedupe(cards: list[dict]) -> tuple[list[dict], int]:
    """Drop repeated fronts (the first one wins)."""
    seen, out = set(), []
    for c in cards:
        key = c["front"].casefold()
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out, len(cards) - len(out)


def write_text(cards: list[dict], path: Path, tags: str, reverse: bool) -> None:
    """Anki text import file; TSV by extension .txt/.tsv, comma otherwise."""
    sep = "," if path.suffix.lower() == ".csv" else "\t"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(f"#separator:{'Comma' if sep == ',' else 'Tab'}\n#html:false\n#tags column:3\n")
        w = csv.writer(f, delimiter=sep)
        for c in cards:
            w.writerow([c["front"], c["back"], " ".join(filter(None, [tags, c.get("tags", "")]))])
            if reverse:
                w.writerow([c["back"], c["front"], " ".join(filter(None, [tags, c.get("tags", "")]))])


def write_apkg(cards: list[dict], path: Path, deck: str) -> None:
    """A real Anki package through genanki (optional dependency)."""
    import genanki

    ident = int(hashlib.sha1(deck.encode()).hexdigest()[:8], 16)
    model = genanki.Model(ident, "xiaodazi basic", fields=[{"name": "Front"}, {"name": "Back"}],
                          templates=[{"name": "Card 1", "qfmt": "{{Front}}",
                                      "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"}])
    d = genanki.Deck(ident + 1, deck)
    for c in cards:
        d.add_note(genanki.Note(model=model, fields=[c["front"], c["back"]]))
    genanki.Package(d).write_to_file(str(path))


def main(argv: list[str] | None = None) -> None:
    """Parse and export; print JSON; exit 2 on bad input, 3 when .apkg is asked for without genanki."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("source", type=Path, help="word list / notes (.txt .md) or cards JSON")
    p.add_argument("--out", type=Path, required=True, help=".tsv/.txt/.csv, or .apkg (needs genanki)")
    p.add_argument("--deck", default="xiaodazi")
    p.add_argument("--tags", default="")
    p.add_argument("--reverse", action="store_true", help="also add back->front cards")
    p.add_argument("--json", action="store_true", help="JSON output (always on)")
    a = p.parse_args(argv)
    try:
        text = a.source.read_text(encoding="utf-8-sig")
        if a.source.suffix.lower() == ".json":
            cards, skipped = json.loads(text), []
        else:
            cards, skipped = parse(text)
        cards, dupes = dedupe(cards)
        if a.out.suffix.lower() == ".apkg":
            try:
                write_apkg(cards, a.out, a.deck)
            except ImportError:
                print(json.dumps({"ok": False, "error": "genanki is not installed; export .tsv instead or install it",
                                  "install": "pip install genanki"}))
                sys.exit(3)
        else:
            write_text(cards, a.out, a.tags, a.reverse)
    except (OSError, ValueError, KeyError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps({"ok": True, "out": str(a.out), "cards": len(cards) * (2 if a.reverse and a.out.suffix != ".apkg" else 1),
                      "duplicates_dropped": dupes, "skipped_lines": skipped, "sample": cards[:3]},
                     ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
