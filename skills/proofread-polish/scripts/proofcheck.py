#!/usr/bin/env python3
"""Mechanical proofreading checks for Chinese and English text, and a change list between the original and the corrected text."""
from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from pathlib import Path

# Frequent wrong forms in Chinese writing → right form.
TYPOS = {
    "在次": "再次", "以经": "已经", "按装": "安装", "既使": "即使", "帐号": "账号", "帐户": "账户", "一股作气": "一鼓作气",
    "迫不急待": "迫不及待", "再接再励": "再接再厉", "甘败下风": "甘拜下风", "默守成规": "墨守成规", "谈笑风声": "谈笑风生",
    "穿流不息": "川流不息", "情不自尽": "情不自禁", "如火如茶": "如火如荼", "出奇不意": "出其不意", "美仑美奂": "美轮美奂",
    "一愁莫展": "一筹莫展", "按步就班": "按部就班", "布署": "部署", "即然": "既然", "坐阵": "坐镇", "松驰": "松弛",
    "幅射": "辐射", "渡假": "度假", "针贬": "针砭", "震憾": "震撼", "融汇贯通": "融会贯通", "变本加利": "变本加厉",
    "不径而走": "不胫而走", "既往不究": "既往不咎",
    "通货膨涨": "通货膨胀", "一如继往": "一如既往", "攻城掠地": "攻城略地", "座落": "坐落",
    "截止到": "截至", "好象": "好像", "登陆账号": "登录账号",
}
RULES = [
    ("repeated-char", re.compile(r"([的了是在和就也都])\1"), "重复用字 / repeated character"),
    ("repeated-word", re.compile(r"\b([A-Za-z]+)\s+\1\b", re.I), "repeated word"),
    ("ascii-punct-in-chinese", re.compile(r"(?<=[\u4e00-\u9fff])[,;:?!](?=\s*[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])\.(?=\s*[\u4e00-\u9fff])"),
     "中文里用了半角标点 / half-width punctuation between Chinese characters"),
    ("fullwidth-in-english", re.compile(r"(?<=[A-Za-z])[，。；：！？](?=\s*[A-Za-z])"), "full-width punctuation in English text"),
    ("space-in-chinese", re.compile(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])"), "中文字之间有空格 / space between Chinese characters"),
    ("double-punct", re.compile(r"([，。、；：,;])\1+"), "重复标点 / doubled punctuation"),
    ("double-space", re.compile(r"(?<=\S)  +(?=\S)"), "double space"),
    ("lowercase-i", re.compile(r"(?<![\w'])i(?![\w'])"), "pronoun I should be capital"),
    ("a-an", re.compile(r"\b[Aa] (?=[aeiouAEIOU]\w)"), "use 'an' before a vowel sound"),
    ("sentence-case", re.compile(r"(?<=[.!?] )[a-z]"), "sentence starts with a lowercase letter"),
]
PAIRS = [("（", "）"), ("“", "”"), ("《", "》"), ("(", ")"), ("【", "】")]


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def read(path: str) -> str:
    """A UTF-8 (or GBK) text/Markdown file, or the paragraphs of a .docx."""
    p = Path(path)
    if p.suffix.lower() == ".docx":
        from docx import Document

        return "\n".join(par.text for par in Document(p).paragraphs)
    raw = p.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


def scan(text: str) -> list[dict]:
    """Every mechanical issue with line, column, the text found and a suggestion where one is certain."""
    issues = []
    for no, line in enumerate(text.splitlines(), 1):
        for wrong, right in TYPOS.items():
            for m in re.finditer(re.escape(wrong), line):
                issues.append({"line": no, "col": m.start() + 1, "rule": "typo", "found": wrong, "suggest": right,
                               "why": "常见错别字 / common misspelling"})
        for rule, rx, why in RULES:
            for m in rx.finditer(line):
                issues.append({"line": no, "col": m.start() + 1, "rule": rule, "found": m.group(0), "why": why})
        for left, right in PAIRS:
            if line.count(left) != line.count(right):
                issues.append({"line": no, "col": 1, "rule": "unbalanced", "found": f"{left}{right}",
                               "why": f"括号或引号不成对 / unbalanced {left}{right}"})
    return sorted(issues, key=lambda i: (i["line"], i["col"]))


def changes(old: str, new: str, context: int = 8) -> list[dict]:
    """Character-level changes (works for Chinese, which has no spaces), each with its line and some context."""
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    out = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        out.append({"line": old.count("\n", 0, i1) + 1, "op": tag, "old": old[i1:i2], "new": new[j1:j2],
                    "context": old[max(0, i1 - context): i2 + context].replace("\n", "⏎")})
    return out


def main(argv: list[str] | None = None) -> None:
    """scan one file | diff original and corrected."""
    ap = argparse.ArgumentParser(description="proofreading helpers")
    ap.add_argument("action", choices=["scan", "diff"])
    ap.add_argument("file", help="the text (.txt .md .docx)")
    ap.add_argument("corrected", nargs="?", help="diff: the corrected version")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    try:
        text = read(a.file)
        if a.action == "scan":
            found = scan(text)
            out = {"issues": found, "count": len(found)}
        else:
            if not a.corrected:
                fail("diff needs the corrected file as the second argument")
            ch = changes(text, read(a.corrected))
            out = {"changes": ch, "count": len(ch), "lines_touched": sorted({c["line"] for c in ch})}
    except OSError as exc:
        fail(str(exc))
    print(json.dumps({"ok": True, **out}, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
