#!/usr/bin/env python3
"""Check an email draft's parts (subject, greeting, sign-off) and save it as an .eml file that opens in a mail client."""
from __future__ import annotations

import argparse
import json
import re
import sys
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

GREETINGS = re.compile(r"^\s*(dear|hi|hello|hey|good (morning|afternoon)|尊敬的|亲爱的|您好|你好|各位|hi all|.{1,12}[，,:：]\s*$)",
                       re.I | re.M)
SIGNOFFS = re.compile(r"(best|regards|sincerely|thanks|thank you|cheers|祝好|此致|敬礼|顺颂|商祺|谢谢|感谢|祝.{0,6}(顺利|愉快))",
                      re.I)


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def split_draft(text: str) -> tuple[str, str]:
    """Subject from a first line 'Subject: …' / '主题：…', and the body."""
    m = re.match(r"\s*(?:subject|主题|标题)\s*[:：]\s*(.+)\n", text, flags=re.I)
    return (m[1].strip(), text[m.end():].strip()) if m else ("", text.strip())


def check(subject: str, body: str) -> dict:
    """Which expected parts are present, with simple length figures."""
    lines = [ln for ln in body.splitlines() if ln.strip()]
    tail = "\n".join(lines[-4:])
    problems = []
    if not subject:
        problems.append("no subject line / 缺少主题")
    elif len(subject) > 78:
        problems.append("subject is long; keep it under ~40 Chinese characters or ~10 English words")
    if not lines or not GREETINGS.search(lines[0]):
        problems.append("no greeting on the first line / 缺少称呼")
    if not SIGNOFFS.search(tail):
        problems.append("no sign-off at the end / 缺少结尾敬语或署名")
    if re.search(r"\[(姓名|name|xx|待填)\]|XXX|TODO", body, flags=re.I):
        problems.append("placeholders left in the text / 有未填写的占位符")
    cjk = len(re.findall(r"[\u4e00-\u9fff]", body))
    return {"subject": subject, "has_greeting": bool(lines) and bool(GREETINGS.search(lines[0])),
            "has_signoff": bool(SIGNOFFS.search(tail)), "chinese_chars": cjk,
            "english_words": len(re.findall(r"[A-Za-z]+(?:'[a-z]+)?", body)), "problems": problems,
            "complete": not problems}


def to_eml(subject: str, body: str, to: list[str], cc: list[str], sender: str | None) -> bytes:
    """An unsent draft message (UTF-8); Outlook honours X-Unsent and opens it as a draft."""
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["To"] = ", ".join(to)
    if cc:
        msg["Cc"] = ", ".join(cc)
    if sender:
        msg["From"] = sender
    msg["Date"] = formatdate(localtime=True)
    msg["X-Unsent"] = "1"
    msg.set_content(body)
    return bytes(msg)


def main(argv: list[str] | None = None) -> None:
    """check | save."""
    ap = argparse.ArgumentParser(description="check an email draft and save it as .eml")
    ap.add_argument("action", choices=["check", "save"])
    ap.add_argument("draft", help="a UTF-8 text file whose first line may be 'Subject: …' / '主题：…'")
    ap.add_argument("--subject", help="override the subject")
    ap.add_argument("--to", action="append", default=[], help="recipient (repeatable)")
    ap.add_argument("--cc", action="append", default=[])
    ap.add_argument("--from", dest="sender")
    ap.add_argument("--out", help="save: the .eml path (default: the draft name with .eml)")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    path = Path(a.draft)
    if not path.is_file():
        fail(f"no such file: {a.draft}")
    subject, body = split_draft(path.read_text(encoding="utf-8-sig"))
    subject = a.subject or subject
    out = {"ok": True, **check(subject, body)}
    if a.action == "save":
        if not subject:
            fail("the draft has no subject; add 'Subject: …' as its first line or pass --subject")
        target = Path(a.out) if a.out else path.with_suffix(".eml")
        target.write_bytes(to_eml(subject, body, a.to, a.cc, a.sender))
        out["saved"] = str(target)
    print(json.dumps(out, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
