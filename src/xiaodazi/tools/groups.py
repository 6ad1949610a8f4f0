"""Which tools are offered on a turn: a small core always, the rest when the request needs them.

Every tool schema costs prompt tokens on every step, so "hi" must not carry the document
builders or desktop control. A group joins the turn when the message (or the recent history)
mentions it, when a selected skill lists one of its tools, or when the conversation used it lately.
"""

from __future__ import annotations

import re
from typing import Any

from xiaodazi.core.hooks import Contribution, TurnContext

# Tools outside every group are core: always offered.
GROUPS: dict[str, list[str]] = {
    "documents": ["create_docx", "create_xlsx", "create_pptx", "create_pdf"],
    "manage_files": ["move_file", "copy_file", "delete_file", "make_dir"],
    "desktop": ["screenshot", "click", "move", "type_text", "hotkey", "scroll", "open_app", "list_windows",
                "clipboard", "notify"],
    "memory": ["remember", "forget", "recall"],
    "skills": ["read_skill_file", "run_skill_script"],
}

KEYWORDS: dict[str, str] = {
    "documents": r"word|docx?|excel|xlsx?|表格|ppt|pptx|幻灯|演示|pdf|文档|报告|简历|report|slides?|spreadsheet|"
                 r"document|导出|生成.{0,6}(文件|表)",
    "manage_files": r"移动|复制|拷贝|删除|删掉|新建文件夹|创建文件夹|整理|归类|重命名|改名|备份|move|copy|delete|remove|"
                    r"rename|organi[sz]e|tidy|folder|mkdir|backup|clean ?up",
    "desktop": r"截图|截屏|屏幕|点击|鼠标|键盘|输入|打开.{0,8}(软件|应用|程序)|窗口|剪贴板|粘贴|通知|提醒我|screenshot|"
               r"screen|click|mouse|keyboard|type |open (the )?app|window|clipboard|paste|notify|notification",
    "memory": r"记住|记得|别忘|忘记|忘掉|忘了|之前(说|提)过|我(喜欢|偏好|习惯)|remember|forget|recall|"
              r"my preference|i (like|prefer)",
}
_PATTERNS = {group: re.compile(pattern, re.IGNORECASE) for group, pattern in KEYWORDS.items()}
RECENT_MESSAGES = 12

OPTIONAL_TOOLS: set[str] = {name for names in GROUPS.values() for name in names}


def groups_for_text(text: str) -> set[str]:
    """Groups whose keywords appear in `text`."""
    return {group for group, pattern in _PATTERNS.items() if pattern.search(text)}


def _recently_called(history: list[dict[str, Any]]) -> set[str]:
    called = set()
    for msg in history[-RECENT_MESSAGES:]:
        for call in msg.get("tool_calls") or []:
            called.add(call.get("function", {}).get("name", ""))
    return called


class ToolGroupsHook:
    """TurnHook offering the optional tool groups this turn seems to need."""

    name = "tool_groups"

    async def before_turn(self, turn: TurnContext) -> Contribution | None:
        recent_users = [m.get("content") for m in turn.history[-4:] if m.get("role") == "user"]
        texts = [turn.user_text, *(t for t in recent_users if isinstance(t, str))]
        groups = set().union(*(groups_for_text(t) for t in texts))
        names = [n for g in sorted(groups) for n in GROUPS[g]]
        names += sorted(_recently_called(turn.history) & OPTIONAL_TOOLS)
        return Contribution(tool_names=names) if names else None

    async def after_turn(self, turn: TurnContext, answer: str) -> None:
        return None
