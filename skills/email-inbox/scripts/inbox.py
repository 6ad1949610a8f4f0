#!/usr/bin/env python3
"""Read exported mail (.mbox, .eml, a folder of .eml) or fetch from IMAP into an .mbox; triage, search, threads, attachments."""
from __future__ import annotations

import argparse
import json
import mailbox
import re
import sys
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

URGENT = re.compile(r"urgent|asap|immediately|deadline|overdue|action required|紧急|加急|尽快|截止|逾期|今天内|马上|催", re.I)
BULK = re.compile(r"newsletter|unsubscribe|no-?reply|促销|优惠|退订|广告|营销", re.I)


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def load(source: Path) -> list[EmailMessage]:
    """Messages of an .mbox file, one .eml file or a folder of .eml files (.msg needs extract-msg)."""
    parse = BytesParser(policy=policy.default).parsebytes
    if source.is_dir():
        return [parse(p.read_bytes()) for p in sorted(source.glob("*.eml"))]
    if source.suffix.lower() == ".eml":
        return [parse(source.read_bytes())]
    if source.suffix.lower() == ".msg":
        fail("Outlook .msg files need the extract-msg package: pip install extract-msg (or save as .eml from Outlook)")
    return [parse(bytes(m)) for m in mailbox.mbox(str(source), create=False)]


def body_text(msg: EmailMessage, limit: int = 4000) -> str:
    """The plain-text body (HTML stripped when there is no text part)."""
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        text = part.get_content()
    except (LookupError, UnicodeDecodeError):
        text = part.get_payload(decode=True).decode("gb18030", errors="replace")  # mislabelled Chinese mail
    if part.get_content_subtype() == "html":
        text = re.sub(r"<(script|style)[^>]*>.*?</\1>|<[^>]+>", " ", text, flags=re.S | re.I)
    return re.sub(r"\s+\n", "\n", re.sub(r"[ \t]+", " ", text)).strip()[:limit]


def thread_key(subject: str) -> str:
    """The subject without Re:/Fwd:/回复：/转发： prefixes, for grouping a thread."""
    return re.sub(r"^\s*((re|fw|fwd|aw|回复|答复|转发)\s*[:：]\s*)+", "", subject or "", flags=re.I).strip().lower()


def summary(i: int, msg: EmailMessage, me: list[str], vips: list[str]) -> dict:
    """One message's headers, a short preview and a triage priority with reasons."""
    sender = getaddresses([str(msg.get("From", ""))])
    to = [a for _, a in getaddresses([str(msg.get("To", ""))])]
    subject = str(msg.get("Subject", ""))
    text = body_text(msg)
    try:
        when = parsedate_to_datetime(str(msg["Date"])).isoformat() if msg["Date"] else None
    except (TypeError, ValueError):
        when = None
    addr = sender[0][1].lower() if sender else ""
    reasons = []
    if URGENT.search(subject) or URGENT.search(text[:500]):
        reasons.append("urgent words / 含紧急字样")
    if any(v.lower() in addr for v in vips):
        reasons.append("important sender / 重要发件人")
    if me and any(m.lower() in (t.lower() for t in to) for m in me):
        reasons.append("sent to you directly / 直接发给你")
    if "?" in text[:800] or "？" in text[:800]:
        reasons.append("asks a question / 有提问")
    bulk = bool(BULK.search(addr) or BULK.search(text[-600:]) or msg.get("List-Unsubscribe"))
    score = 0 if bulk else len(reasons)
    return {"id": i, "date": when, "from": addr, "from_name": sender[0][0] if sender else "", "to": to,
            "subject": subject, "preview": text[:200], "attachments": [p.get_filename() for p in msg.iter_attachments()],
            "priority": "high" if score >= 2 else "normal" if score == 1 or not bulk else "low",
            "bulk": bulk, "reasons": reasons, "thread": thread_key(subject)}


def save_attachments(msgs: list[EmailMessage], ids: list[int] | None, out: Path) -> list[str]:
    """Write attachments to a folder, never overwriting (name (2).ext) and never leaving the folder."""
    out.mkdir(parents=True, exist_ok=True)
    saved = []
    for i, msg in enumerate(msgs):
        if ids and i not in ids:
            continue
        for part in msg.iter_attachments():
            name = Path(part.get_filename() or f"attachment-{i}.bin").name  # drop any path in the name
            target, n = out / name, 2
            while target.exists():
                target = out / f"{Path(name).stem} ({n}){Path(name).suffix}"
                n += 1
            target.write_bytes(part.get_payload(decode=True) or b"")
            saved.append(str(target))
    return saved


def imap_fetch(a) -> dict:
    """Copy the newest messages of one IMAP folder into an .mbox file (read-only: nothing is marked or deleted)."""
    import imaplib

    password = Path(a.password_file).read_text(encoding="utf-8").strip()
    conn = imaplib.IMAP4_SSL(a.host, a.port or 993) if not a.plain else imaplib.IMAP4(a.host, a.port or 143)
    conn.login(a.user, password)
    conn.select(a.folder, readonly=True)
    _, data = conn.search(None, "ALL")
    ids = data[0].split()[-a.limit:]
    box = mailbox.mbox(a.out)
    for num in ids:
        _, parts = conn.fetch(num, "(BODY.PEEK[])")
        box.add(parts[0][1])
    box.flush()
    conn.logout()
    return {"fetched": len(ids), "mbox": a.out}


def main(argv: list[str] | None = None) -> None:
    """list | read | threads | attachments | imap."""
    ap = argparse.ArgumentParser(description="triage exported mail")
    ap.add_argument("action", choices=["list", "read", "threads", "attachments", "imap"])
    ap.add_argument("source", nargs="?", help=".mbox, .eml or a folder of .eml files")
    ap.add_argument("--search", help="list: only messages whose sender, subject or body contains this")
    ap.add_argument("--me", action="append", default=[], help="your own address(es), to spot mail sent to you")
    ap.add_argument("--vip", action="append", default=[], help="important senders (address or domain)")
    ap.add_argument("--id", type=int, action="append", help="read/attachments: message number(s)")
    ap.add_argument("--out", default="attachments", help="attachments: folder; imap: the .mbox to write")
    ap.add_argument("--host")
    ap.add_argument("--port", type=int)
    ap.add_argument("--plain", action="store_true", help="imap: no TLS (only for a local test server)")
    ap.add_argument("--user")
    ap.add_argument("--password-file", help="imap: a file holding the (app) password")
    ap.add_argument("--folder", default="INBOX")
    ap.add_argument("--limit", type=int, default=50)
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    if a.action == "imap":
        if not (a.host and a.user and a.password_file):
            fail("imap needs --host, --user and --password-file")
        try:
            out = imap_fetch(a)
        except Exception as exc:  # imaplib raises several unrelated types
            fail(f"IMAP failed: {exc}", 1)
    else:
        if not a.source or not Path(a.source).exists():
            fail(f"no such mail file or folder: {a.source}")
        msgs = load(Path(a.source))
        items = [summary(i, m, a.me, a.vip) for i, m in enumerate(msgs)]
        if a.action == "list":
            if a.search:
                needle = a.search.lower()
                items = [it for it, m in zip(items, msgs) if needle in f"{it['from']} {it['subject']} {body_text(m)}".lower()]
            rank = {"high": 0, "normal": 1, "low": 2}
            out = {"count": len(items), "messages": sorted(items, key=lambda x: (rank[x["priority"]], x["date"] or ""))}
        elif a.action == "read":
            out = {"messages": [{**items[i], "body": body_text(msgs[i], 20000)} for i in (a.id or []) if i < len(msgs)]}
        elif a.action == "threads":
            threads: dict[str, list] = {}
            for it in items:
                threads.setdefault(it["thread"], []).append({"id": it["id"], "from": it["from"], "date": it["date"]})
            out = {"threads": [{"subject": k, "messages": v} for k, v in sorted(threads.items(), key=lambda kv: -len(kv[1]))]}
        else:
            out = {"saved": save_attachments(msgs, a.id, Path(a.out))}
    print(json.dumps({"ok": True, **out}, ensure_ascii=False, indent=None if a.json else 2, default=str))


if __name__ == "__main__":
    main()
