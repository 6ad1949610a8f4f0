#!/usr/bin/env python3
"""A to-do list kept in a plain Markdown file: add, done, undo, edit, move, remove, list, today (stdlib only).

Each task is one line: `- [ ] 交报销单 !high 📅2026-12-05 #财务 +季度结算` and, when done, `- [x] … ✅2026-12-01`.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date, timedelta
from pathlib import Path

LINE_RE = re.compile(r"^- \[(?P<done>[ xX])\] (?P<body>.*)$")
PRIORITIES = {"high": 0, "medium": 1, "low": 2}
HEADER = "# 待办 / To-do\n\n"


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def parse(line: str, number: int) -> dict | None:
    """A task dict from one Markdown line, or None for other lines."""
    m = LINE_RE.match(line.rstrip())
    if not m:
        return None
    body = m["body"]
    due = re.search(r"📅(\d{4}-\d{2}-\d{2})", body)
    done_on = re.search(r"✅(\d{4}-\d{2}-\d{2})", body)
    prio = re.search(r"(?<!\S)!(high|medium|low)\b", body)
    text = re.sub(r"\s*(📅|✅)\d{4}-\d{2}-\d{2}|\s*(?<!\S)!(high|medium|low)\b|\s*(?<!\S)[#+]\S+", "", body).strip()
    return {"id": number, "text": text, "done": m["done"] != " ", "due": due[1] if due else None,
            "completed": done_on[1] if done_on else None, "priority": prio[1] if prio else None,
            "tags": re.findall(r"(?<!\S)#(\S+)", body), "project": (re.findall(r"(?<!\S)\+(\S+)", body) or [None])[0]}


def render(t: dict) -> str:
    """The Markdown line for a task."""
    parts = [f"- [{'x' if t['done'] else ' '}] {t['text']}"]
    parts += [f"!{t['priority']}"] if t.get("priority") else []
    parts += [f"📅{t['due']}"] if t.get("due") else []
    parts += [f"#{tag}" for tag in t.get("tags", [])]
    parts += [f"+{t['project']}"] if t.get("project") else []
    parts += [f"✅{t['completed']}"] if t["done"] and t.get("completed") else []
    return " ".join(parts)


class TodoFile:
    """The file's lines with tasks numbered 1..n in file order; other lines are kept untouched."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines = path.read_text(encoding="utf-8-sig").splitlines() if path.exists() else HEADER.splitlines()

    def tasks(self) -> list[tuple[int, dict]]:
        """(line index, task) pairs."""
        out, n = [], 0
        for i, line in enumerate(self.lines):
            t = parse(line, n + 1)
            if t:
                n += 1
                out.append((i, t))
        return out

    def find(self, number: int) -> tuple[int, dict]:
        """The task with this number, or fail."""
        for i, t in self.tasks():
            if t["id"] == number:
                return i, t
        fail(f"no task number {number}; run list to see the numbers")

    def save(self) -> None:
        """Write back atomically (temporary file, then replace)."""
        tmp = self.path.with_suffix(self.path.suffix + ".tmp")
        tmp.write_text("\n".join(self.lines) + "\n", encoding="utf-8")
        tmp.replace(self.path)


def due_date(text: str | None, today: date) -> str | None:
    """YYYY-MM-DD, today/今天, tomorrow/明天, 后天, or +N (days)."""
    if not text:
        return None
    words = {"today": 0, "今天": 0, "tomorrow": 1, "明天": 1, "后天": 2}
    if text in words:
        return (today + timedelta(days=words[text])).isoformat()
    if re.fullmatch(r"\+\d+", text):
        return (today + timedelta(days=int(text[1:]))).isoformat()
    return date.fromisoformat(text).isoformat()


def listing(tf: TodoFile, a, today: date) -> dict:
    """Tasks filtered by state/tag/project; `today` = open tasks due today or overdue, plus undated high priority."""
    tasks = [t for _, t in tf.tasks()]
    if a.action == "today":
        tasks = [t for t in tasks if not t["done"] and ((t["due"] and t["due"] <= today.isoformat())
                                                        or (not t["due"] and t["priority"] == "high"))]
    elif not a.all:
        tasks = [t for t in tasks if not t["done"]]
    if a.tag:
        tasks = [t for t in tasks if a.tag in t["tags"]]
    if a.project:
        tasks = [t for t in tasks if t["project"] == a.project]
    for t in tasks:
        t["overdue"] = bool(not t["done"] and t["due"] and t["due"] < today.isoformat())
    tasks.sort(key=lambda t: (t["done"], PRIORITIES.get(t["priority"] or "", 1), t["due"] or "9999"))
    all_tasks = [t for _, t in tf.tasks()]
    return {"tasks": tasks, "open": sum(not t["done"] for t in all_tasks), "done": sum(t["done"] for t in all_tasks)}


def change(tf: TodoFile, a, today: date) -> dict:
    """add / done / undo / edit / move / remove; returns what changed."""
    if a.action == "add":
        if not a.text:
            fail("add needs the task text")
        new = {"text": a.text, "done": False, "priority": a.priority, "due": due_date(a.due, today),
               "tags": a.tag.split(",") if a.tag else [], "project": a.project}
        tf.lines.append(render(new))
        return {"added": render(new)}
    i, t = tf.find(a.number)
    if a.action == "remove":
        if not a.yes:
            return {"would_remove": render(t), "note": "nothing removed; repeat with --yes after the user agrees"}
        del tf.lines[i]
        return {"removed": render(t)}
    if a.action == "move":
        line = tf.lines.pop(i)
        targets = [j for j, _ in tf.tasks()]
        pos = targets[a.to - 1] if 0 < a.to <= len(targets) else (targets[-1] + 1 if targets else len(tf.lines))
        tf.lines.insert(pos, line)
        return {"moved": t["text"], "to": a.to}
    if a.action in ("done", "undo"):
        t.update(done=a.action == "done", completed=today.isoformat() if a.action == "done" else None)
    else:  # edit
        t.update({k: v for k, v in (("text", a.text), ("priority", a.priority), ("project", a.project)) if v})
        if a.due:
            t["due"] = due_date(a.due, today)
        if a.tag:
            t["tags"] = a.tag.split(",")
    tf.lines[i] = render(t)
    return {a.action: tf.lines[i]}


def main(argv: list[str] | None = None) -> None:
    """Run one action on the to-do file and print the result as JSON."""
    ap = argparse.ArgumentParser(description="manage a Markdown to-do list")
    ap.add_argument("action", choices=["add", "done", "undo", "edit", "move", "remove", "list", "today"])
    ap.add_argument("arg", nargs="?", help="add/edit: the task text; done/undo/edit/move/remove: the task number")
    ap.add_argument("text2", nargs="?", help="edit: new text")
    ap.add_argument("--file", default="todo.md", help="the to-do file (default todo.md in the workspace)")
    ap.add_argument("--priority", choices=sorted(PRIORITIES))
    ap.add_argument("--due", help="YYYY-MM-DD, today, tomorrow, 明天, 后天 or +N days")
    ap.add_argument("--tag", help="comma-separated tags (add/edit) or one tag to filter (list)")
    ap.add_argument("--project")
    ap.add_argument("--to", type=int, default=1, help="move: new position (1 = top)")
    ap.add_argument("--all", action="store_true", help="list: include done tasks")
    ap.add_argument("--yes", action="store_true", help="remove: really remove (after the user agreed)")
    ap.add_argument("--today", help="override today's date (testing, or planning ahead)")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    today = date.fromisoformat(a.today) if a.today else date.today()
    tf = TodoFile(Path(a.file))
    try:
        if a.action in ("list", "today"):
            out = listing(tf, a, today)
        else:
            a.text, a.number = (a.arg, None) if a.action == "add" else (a.text2, int(a.arg or 0))
            out = change(tf, a, today)
            if "would_remove" not in out:
                tf.save()
    except ValueError as exc:
        fail(f"bad value: {exc}")
    print(json.dumps({"ok": True, "file": a.file, **out}, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
