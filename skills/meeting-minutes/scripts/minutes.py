#!/usr/bin/env python3
"""Meeting transcript → candidate decisions, action items (owner, due date) and open questions; minutes → .md/.docx."""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

TURN_RE = re.compile(r"^\s*(?:\[?\(?\d{1,2}:\d{2}(?::\d{2})?\)?\]?\s*)?(?P<who>[^:：\[\]()]{1,20}?)\s*"
                     r"(?:\(?\d{1,2}:\d{2}(?::\d{2})?\)?)?\s*[:：]\s*(?P<text>.+)$")
ACTION_RE = re.compile(r"负责|跟进|落实|处理一下|整理|提交|准备|发给|我来|你来|action item|to-?do|\bwill\b|"
                       r"\bto send\b|\bfollow up\b|\btake care of\b|请.{1,4}(在|于|把)", re.I)
DECISION_RE = re.compile(r"决定|确定|定下来|就这么定|同意|通过|结论|拍板|\bagreed\b|\bdecided\b|\bdecision\b|\bwe'll go with\b",
                         re.I)
OPEN_RE = re.compile(r"待定|再议|还不确定|不清楚|需要确认|下次再|\bTBD\b|open question|not sure|[？?]\s*$", re.I)
WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
EN_WEEKDAY = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def turns(text: str) -> list[dict]:
    """Speaker turns; lines without a speaker continue the previous turn."""
    out: list[dict] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        m = TURN_RE.match(line)
        if m and not re.search(r"[。，,.!！？?]", m["who"]):
            out.append({"speaker": m["who"].strip(), "text": m["text"].strip()})
        elif out:
            out[-1]["text"] += " " + line.strip()
        else:
            out.append({"speaker": "", "text": line.strip()})
    return out


def due_of(text: str, meeting: date) -> str | None:
    """A due date named in the sentence, resolved against the meeting date."""
    t = text.lower()
    if m := re.search(r"(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})", t):
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    if m := re.search(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?|(?<![\d.])(\d{1,2})/(\d{1,2})(?![\d/])", t):
        mo, d = (int(m[1]), int(m[2])) if m[1] else (int(m[3]), int(m[4]))
        year = meeting.year + (1 if mo < meeting.month - 6 else 0)
        return date(year, mo, d).isoformat()
    if m := re.search(r"(下+)?(?:周|星期|礼拜)([一二三四五六日天])", t):
        weeks = len(m[1] or "")
        base = meeting - timedelta(days=meeting.weekday()) + timedelta(weeks=weeks)
        day = base + timedelta(days=WEEKDAY[m[2]])
        return (day if day >= meeting else day + timedelta(weeks=1)).isoformat()
    if m := re.search(r"\b(?:by|before|on|until)\s+(?:next\s+)?(" + "|".join(EN_WEEKDAY) + r")", t):
        ahead = (EN_WEEKDAY.index(m[1]) - meeting.weekday()) % 7 or 7
        return (meeting + timedelta(days=ahead + (7 if "next " + m[1] in t else 0))).isoformat()
    for words, days in ((("明天", "tomorrow"), 1), (("后天",), 2), (("今天", "today", "end of day", "eod"), 0)):
        if any(w in t for w in words):
            return (meeting + timedelta(days=days)).isoformat()
    if "月底" in t or "end of the month" in t or "end of month" in t:
        nxt = (meeting.replace(day=28) + timedelta(days=4)).replace(day=1)
        return (nxt - timedelta(days=1)).isoformat()
    if "下周" in t or "next week" in t:
        return (meeting - timedelta(days=meeting.weekday()) + timedelta(days=11)).isoformat()  # Friday of next week
    return None


def owner_of(text: str, speaker: str, people: set[str]) -> str | None:
    """Who takes the action: a named participant, '我来/I will' → the speaker."""
    for p in sorted(people, key=len, reverse=True):
        if p and re.search(rf"(?:由|请|让|交给|assign(?:ed)? to)\s*{re.escape(p)}", text):
            return p
    named = [p for p in people if p and p != speaker and re.search(rf"{re.escape(p)}\s*(负责|来|跟进|去|will|to\b|,)", text)]
    if named:
        return named[0]
    if re.search(r"@(\S+)", text):
        return re.search(r"@(\S+)", text)[1]
    if re.search(r"我来|我负责|我去|我会|\bI'll\b|\bI will\b|\bI can\b", text, re.I):
        return speaker or None
    return None


def extract(text: str, meeting: date) -> dict:
    """Candidates for the minutes; the model confirms and rewrites them."""
    ts = turns(text)
    people = {t["speaker"] for t in ts if t["speaker"]}
    share = Counter()
    for t in ts:
        share[t["speaker"]] += len(t["text"])
    actions, decisions, questions = [], [], []
    for i, t in enumerate(ts):
        for sentence in re.split(r"(?<=[。！!；;])\s*|(?<=[.?？])\s+", t["text"]):
            if not sentence.strip():
                continue
            ref = {"turn": i + 1, "speaker": t["speaker"], "text": sentence.strip()}
            if DECISION_RE.search(sentence) and not OPEN_RE.search(sentence):
                decisions.append(ref)
            if ACTION_RE.search(sentence):
                actions.append({**ref, "owner": owner_of(sentence, t["speaker"], people), "due": due_of(sentence, meeting)})
            elif OPEN_RE.search(sentence):
                questions.append(ref)
    total = sum(share.values()) or 1
    return {"meeting_date": meeting.isoformat(), "participants": sorted(people), "turns": len(ts),
            "talk_share": {k or "?": round(v / total, 2) for k, v in share.most_common()},
            "decisions": decisions, "action_items": actions, "open_questions": questions}


def render_md(m: dict) -> str:
    """Minutes JSON (title, date, participants, summary, decisions, action_items, open_questions) as Markdown."""
    lines = [f"# {m.get('title', '会议纪要 / Minutes')}", "", f"- 日期 / Date: {m.get('date', '')}",
             f"- 参会人 / Attendees: {'、'.join(m.get('participants', []))}", ""]
    if m.get("summary"):
        lines += ["## 摘要 / Summary", "", m["summary"], ""]
    lines += ["## 决议 / Decisions", "", *[f"{i}. {d if isinstance(d, str) else d['text']}"
                                          for i, d in enumerate(m.get("decisions", []), 1)], ""]
    lines += ["## 待办 / Action items", "", "| # | 事项 / Item | 负责人 / Owner | 截止 / Due |", "|---|---|---|---|"]
    lines += [f"| {i} | {a['text']} | {a.get('owner') or '待定'} | {a.get('due') or '待定'} |"
              for i, a in enumerate(m.get("action_items", []), 1)]
    lines += ["", "## 待决问题 / Open questions", "",
              *[f"- {q if isinstance(q, str) else q['text']}" for q in m.get("open_questions", [])]]
    return "\n".join(lines) + "\n"


def render_docx(md: str, out: Path) -> None:
    """The Markdown minutes as a simple Word file (headings, bullets, the action table)."""
    from docx import Document

    doc = Document()
    rows = [ln for ln in md.splitlines() if ln.startswith("|") and not ln.startswith("|---")]
    for ln in md.splitlines():
        if ln.startswith("# "):
            doc.add_heading(ln[2:], 0)
        elif ln.startswith("## "):
            doc.add_heading(ln[3:], 1)
            if ln.startswith("## 待办") and rows:
                table = doc.add_table(rows=0, cols=4)
                table.style = "Table Grid"
                for r in rows:
                    for cell, value in zip(table.add_row().cells, [c.strip() for c in r.strip("|").split("|")]):
                        cell.text = value
        elif ln.startswith(("- ", "1", "2", "3", "4", "5", "6", "7", "8", "9")) and not ln.startswith("|"):
            doc.add_paragraph(ln.lstrip("- "), style="List Bullet")
        elif ln.strip() and not ln.startswith("|"):
            doc.add_paragraph(ln)
    doc.save(out)


def main(argv: list[str] | None = None) -> None:
    """extract (transcript → candidates) | render (minutes JSON → .md or .docx)."""
    ap = argparse.ArgumentParser(description="meeting transcript to minutes")
    ap.add_argument("action", choices=["extract", "render"])
    ap.add_argument("file", help="extract: transcript .txt/.md/.vtt/.srt; render: minutes .json")
    ap.add_argument("--date", help="meeting date YYYY-MM-DD (relative dates like 下周三 resolve against it)")
    ap.add_argument("--out", help="render: .md or .docx path")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    path = Path(a.file)
    if not path.is_file():
        fail(f"no such file: {a.file}")
    if a.action == "extract":
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        text = re.sub(r"^\d+\s*$|^[\d:,.]+ --> [\d:,.]+.*$|^WEBVTT.*$", "", text, flags=re.M)  # subtitle timing lines
        out = {"ok": True, **extract(text, date.fromisoformat(a.date) if a.date else date.today())}
    else:
        minutes = json.loads(path.read_text(encoding="utf-8"))
        md = render_md(minutes)
        target = Path(a.out or path.with_suffix(".md"))
        if target.suffix.lower() == ".docx":
            render_docx(md, target)
        else:
            target.write_text(md, encoding="utf-8")
        out = {"ok": True, "written": str(target), "action_items": len(minutes.get("action_items", []))}
    print(json.dumps(out, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
