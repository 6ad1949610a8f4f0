#!/usr/bin/env python3
"""Mail merge: one personalised email per spreadsheet row, saved as .eml drafts; sent over SMTP only with --confirm."""
from __future__ import annotations

import argparse
import csv
import json
import re
import smtplib
import ssl
import sys
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path

FIELD_RE = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
EMAIL_COLUMNS = ("email", "e-mail", "mail", "邮箱", "电子邮件", "邮件地址", "邮箱地址")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def read_table(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8 or GBK) or the first sheet of an .xlsx, as text."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        rows = list(load_workbook(path, read_only=True, data_only=True).worksheets[0].iter_rows(values_only=True))
        head = [str(h).strip() if h is not None else "" for h in rows[0]]
        return [{h: ("" if v is None else str(v)) for h, v in zip(head, r)} for r in rows[1:] if any(v is not None for v in r)]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    return [{k.strip(): (v or "").strip() for k, v in r.items()} for r in csv.DictReader(text.splitlines())]


def read_template(path: Path) -> tuple[str, str]:
    """Subject (first line 'Subject: …' / '主题：…') and body of the template."""
    text = path.read_text(encoding="utf-8-sig")
    m = re.match(r"\s*(?:subject|主题)\s*[:：]\s*(.+)\n", text, flags=re.I)
    if not m:
        fail("the template's first line must be 'Subject: …' or '主题：…'")
    return m[1].strip(), text[m.end():].strip() + "\n"


def fill(template: str, row: dict[str, str]) -> tuple[str, list[str]]:
    """Replace {{column}} placeholders; returns the text and the columns that were missing or empty."""
    missing = []

    def sub(m: re.Match) -> str:
        key = m[1]
        if not row.get(key):
            missing.append(key)
        return row.get(key, "")
    return FIELD_RE.sub(sub, template), missing


def build(rows: list[dict], subject: str, body: str, col: str, sender: str | None) -> tuple[list, list]:
    """Messages for good rows, and problems (bad address, missing fields) per row number."""
    msgs, problems = [], []
    for n, row in enumerate(rows, start=2):  # row 1 is the header, as the user sees it in Excel
        addr = row.get(col, "")
        subj, miss1 = fill(subject, row)
        text, miss2 = fill(body, row)
        if not EMAIL_RE.match(addr) or miss1 or miss2:
            problems.append({"row": n, "email": addr, "missing": sorted(set(miss1 + miss2)),
                             "bad_address": not EMAIL_RE.match(addr)})
            continue
        msg = EmailMessage()
        msg["Subject"], msg["To"], msg["Date"] = subj, addr, formatdate(localtime=True)
        if sender:
            msg["From"] = sender
        msg["Message-ID"] = make_msgid(domain="xiaodazi.local")
        msg["X-Unsent"] = "1"
        msg.set_content(text)
        msgs.append((n, msg))
    return msgs, problems


def safe(name: str) -> str:
    """A file-name-safe piece of text (keeps Chinese)."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("_")[:60] or "mail"


def send(folder: Path, host: str, port: int, user: str | None, password_file: str | None, sender: str,
         tls: str) -> list[str]:
    """Send every .eml of the folder through one SMTP connection; returns the recipients."""
    parse = BytesParser(policy=policy.default).parsebytes
    files = sorted(folder.glob("*.eml"))
    smtp = smtplib.SMTP_SSL(host, port, context=ssl.create_default_context()) if tls == "ssl" else smtplib.SMTP(host, port)
    with smtp:
        if tls == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        if user:
            smtp.login(user, Path(password_file).read_text(encoding="utf-8").strip() if password_file else "")
        sent = []
        for f in files:
            msg = parse(f.read_bytes())
            del msg["X-Unsent"]
            if not msg["From"]:
                msg["From"] = sender
            smtp.send_message(msg)
            sent.append(str(msg["To"]))
    return sent


def main(argv: list[str] | None = None) -> None:
    """preview | build | send (send needs --confirm, given only after the user approved the drafts)."""
    ap = argparse.ArgumentParser(description="personalised emails from a table and a template")
    ap.add_argument("action", choices=["preview", "build", "send"])
    ap.add_argument("--data", help="recipients: .xlsx or .csv with a header row")
    ap.add_argument("--template", help="UTF-8 text: first line 'Subject: …', placeholders {{列名}}")
    ap.add_argument("--email-column", help="column with the addresses (default: auto, e.g. 邮箱 / email)")
    ap.add_argument("--out", default="mail-merge-out", help="folder for the .eml drafts")
    ap.add_argument("--from", dest="sender", help="sender, e.g. '小李 <li@example.com>'")
    ap.add_argument("--smtp-host")
    ap.add_argument("--smtp-port", type=int, default=465)
    ap.add_argument("--tls", choices=["ssl", "starttls", "none"], default="ssl")
    ap.add_argument("--user")
    ap.add_argument("--password-file", help="a file holding the SMTP (app) password")
    ap.add_argument("--confirm", action="store_true", help="send: really send (only after the user said yes)")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    if a.action == "send":
        drafts = sorted(Path(a.out).glob("*.eml"))
        if not drafts:
            fail(f"no .eml drafts in {a.out}; run build first")
        if not a.confirm or not a.smtp_host:
            out = {"sent": 0, "would_send": len(drafts), "note": "nothing sent: show the drafts, ask the user, "
                   "then repeat with --confirm and --smtp-host"}
        else:
            try:
                out = {"sent": len(sent := send(Path(a.out), a.smtp_host, a.smtp_port, a.user, a.password_file,
                                                a.sender or a.user or "", a.tls)), "to": sent}
            except (smtplib.SMTPException, OSError) as exc:
                fail(f"SMTP failed: {exc}", 1)
    else:
        if not (a.data and a.template):
            fail("preview/build need --data and --template")
        rows = read_table(Path(a.data))
        col = a.email_column or next((c for c in (rows[0] if rows else {}) if c.lower() in EMAIL_COLUMNS), None)
        if not col:
            fail(f"no email column found; pass --email-column (columns: {', '.join(rows[0]) if rows else 'none'})")
        subject, body = read_template(Path(a.template))
        msgs, problems = build(rows, subject, body, col, a.sender)
        out = {"rows": len(rows), "ready": len(msgs), "problems": problems,
               "placeholders": sorted(set(FIELD_RE.findall(subject + body)))}
        if a.action == "preview":
            out["samples"] = [{"row": n, "to": m["To"], "subject": m["Subject"], "body": m.get_content()[:600]}
                              for n, m in msgs[:3]]
        else:
            folder = Path(a.out)
            folder.mkdir(parents=True, exist_ok=True)
            for n, m in msgs:
                (folder / f"{n:04d}_{safe(m['To'])}.eml").write_bytes(bytes(m))
            out["written"] = len(msgs)
            out["folder"] = str(folder)
    print(json.dumps({"ok": True, **out}, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
