#!/usr/bin/env python3
"""Format BibTeX references as GB/T 7714-2015 (numeric), APA 7, MLA 9, Chicago (author-date) or IEEE, and check the
citations in a manuscript against the reference list.

Covers article, book, inproceedings, thesis (phdthesis/mastersthesis) and misc/online entries. Plain-text output;
italics (APA/MLA journal and book titles) are marked with *asterisks* when --markdown is given.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

GB_TYPE = {"article": "J", "book": "M", "inproceedings": "C", "conference": "C", "phdthesis": "D",
           "mastersthesis": "D", "techreport": "R", "misc": "EB/OL", "online": "EB/OL", "incollection": "M"}


def parse_bibtex(text: str) -> list[dict]:
    """Entries as dicts with 'type' and 'key'; braces and quotes around values are removed, nesting respected."""
    entries = []
    for m in re.finditer(r"@(\w+)\s*\{\s*([^,\s]+)\s*,", text):
        kind = m.group(1).lower()
        if kind in ("comment", "preamble", "string"):
            continue
        i, depth, body_start = m.end(), 1, m.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        entries.append({"type": kind, "key": m.group(2), **fields(text[body_start : i - 1])})
    return entries


def fields(body: str) -> dict:
    """name = {value} | "value" | bare pairs of one entry."""
    out, i = {}, 0
    while True:
        m = re.compile(r"\s*(\w[\w-]*)\s*=\s*").match(body, i)
        if not m:
            break
        i = m.end()
        if i < len(body) and body[i] in "{\"":
            close, depth, j = ("}" if body[i] == "{" else '"'), 0, i
            while j < len(body):
                c = body[j]
                if body[i] == "{":
                    depth += {"{": 1, "}": -1}.get(c, 0)
                    if depth == 0:
                        break
                elif c == close and j > i:
                    break
                j += 1
            value, i = body[i + 1 : j], j + 1
        else:
            end = body.find(",", i)
            end = len(body) if end < 0 else end
            value, i = body[i:end].strip(), end
        out[m.group(1).lower()] = re.sub(r"\s+", " ", value.replace("{", "").replace("}", "")).strip()
        comma = body.find(",", i)
        if comma < 0:
            break
        i = comma + 1
    return out


def is_cjk(s: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", s))


def split_name(name: str) -> tuple[str, list[str]]:
    """(family, given names) from 'Family, Given' or 'Given Family'."""
    name = name.strip()
    if "," in name:
        fam, given = name.split(",", 1)
        return fam.strip(), given.split()
    parts = name.split()
    return (parts[-1], parts[:-1]) if len(parts) > 1 else (name, [])


def initials(given: list[str], dots: bool, space: bool = True) -> str:
    out = []
    for g in given:
        pieces = [p for p in g.split("-") if p]
        out.append("-".join(p[0].upper() + ("." if dots else "") for p in pieces))
    return (" " if space else "").join(out)


def authors(entry: dict) -> list[str]:
    return [a for a in re.split(r"\s+and\s+", entry.get("author", "")) if a.strip()]


def pages(entry: dict, dash: str = "-") -> str:
    return re.sub(r"\s*-+\s*", dash, entry.get("pages", ""))


def gbt7714(entry: dict, n: int) -> str:
    """[n] AUTHORS. Title[J]. Journal, year, vol(no): pages. DOI:…"""
    names = authors(entry)
    cjk = is_cjk(entry.get("title", "") + entry.get("author", ""))
    shown = []
    for a in names[:3]:
        if is_cjk(a):
            shown.append(a.replace(",", "").replace(" ", ""))
        else:
            fam, given = split_name(a)
            shown.append(f"{fam.upper()} {initials(given, False)}".strip())
    who = ", ".join(shown) + ((", 等" if cjk else ", et al") if len(names) > 3 else "")
    code = GB_TYPE.get(entry["type"], "Z")
    t, year = entry.get("title", ""), entry.get("year", "")
    if code == "J":
        vol = entry.get("volume", "") + (f"({entry['number']})" if entry.get("number") else "")
        tail = f"{entry.get('journal', '')}, {year}" + (f", {vol}" if vol else "") + (f": {pages(entry)}" if entry.get("pages") else "")
    elif code == "C":
        place = ": ".join(filter(None, [entry.get("address"), entry.get("publisher")]))
        tail = f"//{entry.get('booktitle', '')}. " + (f"{place}, " if place else "") + year + (f": {pages(entry)}" if entry.get("pages") else "")
        return f"[{n}] {who}. {t}[C]{tail}." + doi(entry)
    elif code == "D":
        tail = ": ".join(filter(None, [entry.get("address"), entry.get("school")])) + f", {year}"
    elif code == "EB/OL":
        date = f"({entry['date']})" if entry.get("date") else ""
        return f"[{n}] {who}. {t}[EB/OL]. {date}[{entry.get('urldate', '')}]. {entry.get('url', '')}." if who else \
               f"[{n}] {t}[EB/OL]. {date}[{entry.get('urldate', '')}]. {entry.get('url', '')}."
    else:
        place = ": ".join(filter(None, [entry.get("address"), entry.get("publisher")]))
        tail = f"{place}, {year}"
    return f"[{n}] {who}. {t}[{code}]. {tail}." + doi(entry)


def doi(entry: dict) -> str:
    return f" DOI:{entry['doi']}." if entry.get("doi") else ""


def apa_name(a: str) -> str:
    if is_cjk(a):
        return a.replace(",", "").replace(" ", "")
    fam, given = split_name(a)
    return f"{fam}, {initials(given, True)}" if given else fam


def apa(entry: dict, _: int = 0, md: bool = False) -> str:
    """Family, F. M., & Family, F. (Year). Title. *Journal*, *vol*(no), pages. https://doi.org/…"""
    names = [apa_name(a) for a in authors(entry)]
    if len(names) > 20:
        names = [*names[:19], "…", names[-1]]
        who = ", ".join(names)
    else:
        who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1] if names else ""
    it = (lambda s: f"*{s}*") if md else (lambda s: s)
    year, title = entry.get("year", "n.d."), entry.get("title", "")
    link = f" https://doi.org/{entry['doi']}" if entry.get("doi") else (f" {entry['url']}" if entry.get("url") else "")
    if entry["type"] == "article":
        vol = it(entry.get("volume", "")) + (f"({entry['number']})" if entry.get("number") else "")
        src = ", ".join(filter(None, [it(entry.get("journal", "")), vol, pages(entry, "–")]))
        return f"{who} ({year}). {title}. {src}.{link}"
    if entry["type"] in ("inproceedings", "conference"):
        return f"{who} ({year}). {title}. In {it(entry.get('booktitle', ''))}" + \
               (f" (pp. {pages(entry, '–')})" if entry.get("pages") else "") + \
               (f". {entry['publisher']}" if entry.get("publisher") else "") + f".{link}"
    return f"{who} ({year}). {it(title)}. {entry.get('publisher', entry.get('school', ''))}.{link}".replace(" .", "")


def full_name(a: str, invert: bool) -> str:
    if is_cjk(a):
        return a.replace(",", "")
    fam, given = split_name(a)
    return f"{fam}, {' '.join(given)}" if invert and given else " ".join([*given, fam])


def mla(entry: dict, _: int = 0, md: bool = False) -> str:
    """Family, Given, and Given Family. "Title." *Container*, vol. V, no. N, Year, pp. P."""
    names = authors(entry)
    if len(names) >= 3:
        who = full_name(names[0], True) + ", et al"
    elif len(names) == 2:
        who = f"{full_name(names[0], True)}, and {full_name(names[1], False)}"
    else:
        who = full_name(names[0], True) if names else ""
    it = (lambda s: f"*{s}*") if md else (lambda s: s)
    if entry["type"] == "book":
        return f"{who}. {it(entry.get('title', ''))}. {entry.get('publisher', '')}, {entry.get('year', '')}."
    bits = [it(entry.get("journal") or entry.get("booktitle", ""))]
    bits += [f"vol. {entry['volume']}"] if entry.get("volume") else []
    bits += [f"no. {entry['number']}"] if entry.get("number") else []
    bits += [entry.get("year", "")] + ([f"pp. {pages(entry)}"] if entry.get("pages") else [])
    return f"{who}. \u201c{entry.get('title', '')}.\u201d {', '.join(b for b in bits if b)}."


def chicago(entry: dict, _: int = 0, md: bool = False) -> str:
    """Author-date: Family, Given, and Given Family. Year. "Title." Journal V (N): pages."""
    names = authors(entry)
    parts = [full_name(names[0], True)] + [full_name(a, False) for a in names[1:]] if names else []
    who = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + ", and " + parts[-1] if parts else ""
    it = (lambda s: f"*{s}*") if md else (lambda s: s)
    if entry["type"] == "book":
        place = ": ".join(filter(None, [entry.get("address"), entry.get("publisher")]))
        return f"{who}. {entry.get('year', '')}. {it(entry.get('title', ''))}. {place}."
    vol = entry.get("volume", "") + (f" ({entry['number']})" if entry.get("number") else "")
    return (f"{who}. {entry.get('year', '')}. \u201c{entry.get('title', '')}.\u201d "
            f"{it(entry.get('journal') or entry.get('booktitle', ''))} {vol}" + (f": {pages(entry, '–')}" if entry.get("pages") else "") + ".")


def ieee(entry: dict, n: int, md: bool = False) -> str:
    """[n] F. Family and F. Family, "Title," Journal, vol. V, no. N, pp. P, Year."""
    names = []
    for a in authors(entry):
        fam, given = split_name(a)
        names.append(a if is_cjk(a) else f"{initials(given, True)} {fam}".strip())
    who = names[0] if len(names) == 1 else (", ".join(names[:-1]) + (", and " if len(names) > 2 else " and ") + names[-1]) if names else ""
    if len(names) > 6:
        who = names[0] + " et al."
    it = (lambda s: f"*{s}*") if md else (lambda s: s)
    if entry["type"] == "book":
        return f"[{n}] {who}, {it(entry.get('title', ''))}. {entry.get('address', '')}: {entry.get('publisher', '')}, {entry.get('year', '')}."
    bits = [it(entry.get("journal") or entry.get("booktitle", ""))]
    bits += [f"vol. {entry['volume']}"] if entry.get("volume") else []
    bits += [f"no. {entry['number']}"] if entry.get("number") else []
    bits += [f"pp. {pages(entry, '–')}"] if entry.get("pages") else []
    return f"[{n}] {who}, \u201c{entry.get('title', '')},\u201d {', '.join(bits)}, {entry.get('year', '')}."


STYLES = {"gbt7714": gbt7714, "apa": apa, "mla": mla, "chicago": chicago, "ieee": ieee}


def check_citations(text: str, entries: list[dict]) -> dict:
    """Numeric [1], [2-4], [1,3] or author-year (Smith, 2020) citations against the list."""
    numbers = set()
    for group in re.findall(r"\[(\d+(?:\s*[-–,，]\s*\d+)*)\]", text):
        for part in re.split(r"[,，]", group):
            lo, _, hi = part.partition("-") if "-" in part else part.partition("–")
            numbers.update(range(int(lo), int(hi or lo) + 1))
    if numbers:
        listed = set(range(1, len(entries) + 1))
        return {"style": "numeric", "cited_not_listed": sorted(numbers - listed), "listed_not_cited": sorted(listed - numbers)}
    cited = {(fam.lower(), year) for fam, year in re.findall(r"([A-Z][A-Za-z'-]+)(?: et al\.?| (?:&|and) [A-Z][A-Za-z'-]+)?,? (\d{4})", text)}
    keys = {(split_name(authors(e)[0])[0].lower(), e.get("year", "")) for e in entries if authors(e)}
    return {"style": "author-year", "cited_not_listed": sorted(f"{a} {y}" for a, y in cited - keys),
            "listed_not_cited": sorted(f"{a} {y}" for a, y in keys - cited)}


def main(argv: list[str] | None = None) -> None:
    """Format a .bib file (optionally check a manuscript); print JSON; exit 1 when citations mismatch, 2 on bad input."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("bib", type=Path)
    p.add_argument("--style", choices=sorted(STYLES), default="gbt7714")
    p.add_argument("--markdown", action="store_true", help="mark italics with *asterisks*")
    p.add_argument("--sort", choices=["order", "author"], default="order",
                   help="order of appearance (numeric styles) or by first author (APA/MLA/Chicago)")
    p.add_argument("--check", type=Path, help="manuscript text to check citations against the list")
    p.add_argument("--json", action="store_true", help="JSON output (always on)")
    a = p.parse_args(argv)
    try:
        entries = parse_bibtex(a.bib.read_text(encoding="utf-8-sig"))
        if not entries:
            raise ValueError("no BibTeX entries found")
        if a.sort == "author":
            entries.sort(key=lambda e: (split_name(authors(e)[0])[0].lower() if authors(e) else e.get("title", "")))
        fmt = STYLES[a.style]
        refs = [fmt(e, i, a.markdown) if fmt is not gbt7714 else fmt(e, i) for i, e in enumerate(entries, 1)]
        result = {"ok": True, "style": a.style, "count": len(refs), "references": refs, "keys": [e["key"] for e in entries]}
        if a.check:
            result["citations"] = check_citations(a.check.read_text(encoding="utf-8-sig"), entries)
            result["ok"] = not (result["citations"]["cited_not_listed"] or result["citations"]["listed_not_cited"])
    except (OSError, ValueError, KeyError, IndexError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    sys.exit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
