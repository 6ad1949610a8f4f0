"""MEMORY.md: active memories as plain Markdown the user can read and edit.

One item per line under a section per kind, each ending in a short provenance tag:

    ## 偏好 · Preferences
    - 喜欢简洁的回答 <!-- #12 · chat abc12345 · 2026-12-01 -->
    - 女儿对花生过敏 <!-- #3 · pinned · api · 2026-11-30 -->

The tag links the line to its record; a line without a tag is a new memory; a missing line is
a deleted memory; moving a line to another section changes its kind; adding or removing the
word `pinned` in the tag pins or unpins it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xiaodazi.memory.model import InvalidMemory, MemoryItem, MemoryKind, clean_content

TITLE = "# 小搭子的记忆 · xiaodazi memory"
INTRO = [
    "> 每行一条记忆：可以直接修改、删除，或新增以 “- ” 开头的一行；保存后从下一条消息起生效。",
    "> One memory per line: edit or delete lines, or add a line starting with “- ”; changes apply from the next message.",
    "> 行尾的 <!-- #编号 … --> 标签把这一行和记录对应起来，请保留；在标签里写 pinned 表示每次都带上。",
    "> Keep the <!-- #id … --> tag at the end of a line; write `pinned` in it to include that memory in every chat.",
]
SECTIONS: dict[MemoryKind, str] = {
    MemoryKind.preference: "偏好 · Preferences",
    MemoryKind.profile: "关于我 · Profile",
    MemoryKind.project: "项目 · Projects",
    MemoryKind.instruction: "指令 · Instructions",
}
_HEADING_WORDS = {
    MemoryKind.preference: ("偏好", "preference"),
    MemoryKind.profile: ("关于我", "个人", "profile"),
    MemoryKind.project: ("项目", "project"),
    MemoryKind.instruction: ("指令", "instruction"),
}
_ITEM = re.compile(r"^\s*[-*+]\s+(?:\[[ xX]\]\s+)?(?P<body>.*?)\s*$")
_TAG = re.compile(r"<!--\s*#(?P<id>\d+)(?P<rest>[^<>]*?)-->\s*$")
_ID_ANYWHERE = re.compile(r"#(\d+)")


@dataclass
class FileLine:
    """One memory line read back from the file."""

    number: int
    content: str
    kind: MemoryKind
    item_id: int | None = None
    pinned: bool = False


@dataclass
class ParsedFile:
    """What a MEMORY.md holds; `broken` means it must not be applied at all."""

    lines: list[FileLine] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    protected_ids: set[int] = field(default_factory=set)  # ids on unreadable lines: never delete them
    broken: bool = False


def _tag(item: MemoryItem) -> str:
    parts = [f"#{item.id}"]
    if item.pinned:
        parts.append("pinned")
    origin = str(item.source)
    if item.source_conversation_id:
        origin += f" {item.source_conversation_id[:8]}"
    parts += [origin, item.created_at.strftime("%Y-%m-%d")]
    return "<!-- " + " · ".join(parts) + " -->"


def render(items: list[MemoryItem]) -> str:
    """The whole file for these (active) items, grouped by kind, oldest first."""
    out = [TITLE, "", *INTRO]
    for kind, heading in SECTIONS.items():
        out += ["", f"## {heading}"]
        out += [f"- {item.content} {_tag(item)}" for item in items if item.kind == kind]
    return "\n".join(out) + "\n"


def _heading_kind(title: str) -> MemoryKind | None:
    lowered = title.lower()
    for kind, words in _HEADING_WORDS.items():
        if any(w in lowered for w in words):
            return kind
    return None


def parse(text: str) -> ParsedFile:
    """Read memory lines back; unreadable lines become problems, never silent deletions."""
    parsed = ParsedFile()
    kind = MemoryKind.preference
    seen_structure = False
    seen_ids: set[int] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.startswith("#"):
            seen_structure = True
            if raw.startswith("## "):
                kind = _heading_kind(raw[3:]) or _unknown_section(parsed, number, raw, kind)
            continue
        match = _ITEM.match(raw)
        if match and match.group("body"):
            seen_structure = True
            _parse_item(parsed, number, match.group("body"), kind, seen_ids)
    if not seen_structure:
        parsed.broken = True
        parsed.problems.append("MEMORY.md 是空的或无法识别 / MEMORY.md is empty or not in the expected format")
    return parsed


def _unknown_section(parsed: ParsedFile, number: int, raw: str, kind: MemoryKind) -> MemoryKind:
    parsed.problems.append(
        f"第 {number} 行：不认识的分组 {raw[3:].strip()!r}，其下的条目按 {kind.value} 处理 / "
        f"line {number}: unknown section, lines below it are kept as {kind.value}"
    )
    return kind


def _parse_item(parsed: ParsedFile, number: int, body: str, kind: MemoryKind, seen_ids: set[int]) -> None:
    tag = _TAG.search(body)
    if tag is None and "<!--" in body:
        parsed.protected_ids.update(int(i) for i in _ID_ANYWHERE.findall(body[body.index("<!--"):]))
        parsed.problems.append(f"第 {number} 行：标签不完整，这一行未生效 / line {number}: broken tag, line ignored")
        return
    text = body[: tag.start()] if tag else body
    item_id = int(tag.group("id")) if tag else None
    if item_id is not None and item_id in seen_ids:
        parsed.problems.append(f"第 {number} 行：#{item_id} 重复出现，已忽略 / line {number}: #{item_id} appears twice")
        return
    if not text.strip():  # a tag left on an emptied line: the user deleted the text
        return
    try:
        content = clean_content(text)
    except InvalidMemory as exc:
        parsed.problems.append(f"第 {number} 行 / line {number}: {exc.message}")
        if item_id is not None:
            parsed.protected_ids.add(item_id)
        return
    if item_id is not None:
        seen_ids.add(item_id)
    pinned = bool(tag and re.search(r"\bpinned\b|置顶", tag.group("rest"), re.IGNORECASE))
    parsed.lines.append(FileLine(number, content, kind, item_id, pinned))
