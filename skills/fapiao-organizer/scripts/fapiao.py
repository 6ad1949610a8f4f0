#!/usr/bin/env python3
"""Read Chinese e-invoices (PDF, OFD, XML) into a table, flag duplicates and rename files consistently.

Fields: 发票号码, 开票日期, 购买方, 销售方, 金额 (without tax), 税额, 价税合计. XML files of 数电票 and older e-invoices are read
by tag name; OFD files are zip archives whose page XML holds the text; PDF text comes from pypdf (part of the app).
Scanned (image-only) invoices have no text: they are listed with `needs_ocr`.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.etree import ElementTree as ET

SUFFIXES = {".pdf", ".ofd", ".xml"}
TAGS = {  # field -> lower-case local tag names used by different issuers
    "number": {"invoicenumber", "invoiceno", "fphm", "eiid", "einvoicenumber"},
    "date": {"issuetime", "issuedate", "kprq", "requesttime"},
    "buyer": {"buyername", "gfmc", "purchasername"},
    "seller": {"sellername", "xfmc", "xsfmc"},
    "amount": {"totalamwithouttax", "totalamount", "hjje", "amountwithouttax"},
    "tax": {"totaltaxam", "totaltax", "hjse", "taxamount"},
    "total": {"totaltax-includedamount", "totalamountwithtax", "jshj", "totaltaxincludedamount"},
}
NUM = r"[¥￥]?\s*(-?[\d,]+\.\d{2})"


def local(tag: str) -> str:
    """An XML tag without its namespace, lower case."""
    return tag.rsplit("}", 1)[-1].lower()


def from_xml(data: bytes) -> dict:
    """Fields from an invoice XML, by tag name."""
    root = ET.fromstring(data)  # noqa: S314 - local files the user chose
    out: dict = {}
    for el in root.iter():
        text = (el.text or "").strip()
        for field, names in TAGS.items():
            if text and field not in out and local(el.tag) in names:
                out[field] = text
    return out


def from_text(text: str) -> dict:
    """Fields from the text of a PDF or OFD invoice."""
    t = re.sub(r"[ \t\u3000]+", " ", text.replace("\x00", ""))  # some PDF fonts extract with NULs between glyphs
    out: dict = {}
    if m := re.search(r"发\s*票\s*号\s*码\s*[:：]?\s*(\d{8,20})", t):
        out["number"] = m.group(1)
    if m := re.search(r"开\s*票\s*日\s*期\s*[:：]?\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", t):
        out["date"] = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    names = re.findall(r"名\s*称\s*[:：]\s*([^\s:：]+)", t)
    if names:
        out["buyer"] = names[0]
    if len(names) > 1:
        out["seller"] = names[1]
    if m := re.search(r"合\s*计\s*" + NUM + r"\s*" + NUM, t):
        out["amount"], out["tax"] = m.group(1), m.group(2)
    if m := re.search(r"[（(]\s*小\s*写\s*[)）]\s*" + NUM, t):
        out["total"] = m.group(1)
    return out


def read_invoice(path: Path) -> dict:
    """Fields of one invoice file, with `problem` when something essential is missing."""
    suffix = path.suffix.lower()
    if suffix == ".xml":
        fields = from_xml(path.read_bytes())
    elif suffix == ".ofd":
        fields = from_ofd(path)
    else:
        from pypdf import PdfReader

        fields = from_text("\n".join(page.extract_text() or "" for page in PdfReader(path).pages))
    fields = normalise(fields)
    missing = [k for k in ("number", "date", "total") if not fields.get(k)]
    if missing:
        fields["problem"] = ("needs_ocr: no text found" if not fields else f"missing {', '.join(missing)}")
    return fields


def from_ofd(path: Path) -> dict:
    """OFD: an invoice XML inside the archive if there is one, else the text of the page content."""
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        for n in names:
            if n.lower().endswith(".xml") and "attach" in n.lower():
                fields = from_xml(z.read(n))
                if fields.get("number"):
                    return fields
        texts = []
        for n in sorted(x for x in names if x.lower().endswith("content.xml")):
            texts += [el.text or "" for el in ET.fromstring(z.read(n)).iter() if local(el.tag) == "textcode"]  # noqa: S314
    return from_text(" ".join(texts))


def normalise(f: dict) -> dict:
    """Dates as YYYY-MM-DD and money as plain decimals."""
    if f.get("date"):
        m = re.match(r"(\d{4})\D?(\d{1,2})\D?(\d{1,2})", f["date"])
        if m:
            f["date"] = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    for k in ("amount", "tax", "total"):
        if f.get(k):
            try:
                f[k] = str(Decimal(f[k].replace(",", "").replace("¥", "").replace("￥", "")).quantize(Decimal("0.01")))
            except InvalidOperation:
                f.pop(k)
    if f.get("total") is None and f.get("amount") and f.get("tax"):
        f["total"] = str(Decimal(f["amount"]) + Decimal(f["tax"]))
    return f


def scan(folder: Path) -> list[dict]:
    """Every invoice file under folder, read, with duplicates marked."""
    rows, seen_no, seen_hash = [], {}, {}
    for p in sorted(x for x in folder.rglob("*") if x.suffix.lower() in SUFFIXES and x.is_file()):
        try:
            row = {"file": str(p.relative_to(folder)), **read_invoice(p)}
        except (OSError, ValueError, zipfile.BadZipFile, ET.ParseError) as exc:
            row = {"file": str(p.relative_to(folder)), "problem": f"unreadable: {exc}"}
        digest = hashlib.sha256(p.read_bytes()).hexdigest()
        key = row.get("number") or digest
        first = seen_no.get(key) or seen_hash.get(digest)
        row["duplicate_of"] = first
        seen_no.setdefault(key, row["file"])
        seen_hash.setdefault(digest, row["file"])
        rows.append(row)
    return rows


def write_xlsx(rows: list[dict], out: Path) -> None:
    """One row per file, totals at the bottom (duplicates not counted)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "发票汇总"
    cols = [("file", "文件"), ("number", "发票号码"), ("date", "开票日期"), ("seller", "销售方"), ("buyer", "购买方"),
            ("amount", "金额"), ("tax", "税额"), ("total", "价税合计"), ("duplicate_of", "重复（同号文件）"), ("problem", "问题")]
    ws.append([zh for _, zh in cols])
    for r in rows:
        ws.append([float(r[k]) if k in ("amount", "tax", "total") and r.get(k) else r.get(k) for k, _ in cols])
    unique = [r for r in rows if not r.get("duplicate_of")]
    ws.append(["合计（不含重复）", "", "", "", "", *(float(sum(Decimal(r.get(k) or 0) for r in unique))
                                               for k in ("amount", "tax", "total"))])
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)


def rename_plan(folder: Path, rows: list[dict]) -> list[dict]:
    """New names `日期_销售方_金额_号码.ext` for readable, non-duplicate invoices."""
    plan = []
    for r in rows:
        if r.get("problem") or r.get("duplicate_of"):
            continue
        src = folder / r["file"]
        seller = re.sub(r'[\\/:*?"<>|\s]', "", r.get("seller", "未知销售方"))[:30]
        new = src.with_name(f"{r['date']}_{seller}_{r['total']}_{r['number']}{src.suffix.lower()}")
        if new != src:
            plan.append({"from": str(src), "to": str(new)})
    return plan


def main(argv: list[str] | None = None) -> None:
    """scan a folder; optionally write Excel and rename; print JSON; exit 2 on bad input."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("folder", type=Path)
    p.add_argument("--xlsx", type=Path, help="write the summary workbook here")
    p.add_argument("--rename", action="store_true", help="show the rename plan")
    p.add_argument("--apply", action="store_true", help="carry out the rename plan (after the user agreed)")
    p.add_argument("--json", action="store_true", help="JSON output (always on)")
    a = p.parse_args(argv)
    if not a.folder.is_dir():
        print(json.dumps({"ok": False, "error": f"not a folder: {a.folder}"}, ensure_ascii=False))
        sys.exit(2)
    rows = scan(a.folder)
    if a.xlsx:
        write_xlsx(rows, a.xlsx)
    unique = [r for r in rows if not r.get("duplicate_of") and r.get("total")]
    result = {"ok": True, "count": len(rows), "invoices": rows, "duplicates": [r["file"] for r in rows if r["duplicate_of"]],
              "problems": [r["file"] for r in rows if r.get("problem")],
              "total": str(sum((Decimal(r["total"]) for r in unique), Decimal(0))), "xlsx": str(a.xlsx) if a.xlsx else None}
    if a.rename or a.apply:
        plan = rename_plan(a.folder, rows)
        if a.apply:
            plan = [m for m in plan if not Path(m["to"]).exists()]
            for m in plan:
                Path(m["from"]).rename(m["to"])
        result.update(rename_plan=plan, renamed=a.apply)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
