"""System tools: `clipboard` (read or write the clipboard) and `notify` (a desktop notification).

A notification goes to the OS notifier when one works (notify-send, osascript, a PowerShell
toast); otherwise, or in server mode, it is sent to the app window as a `notify` event. The
result says which happened. Title and body are passed as arguments, never through a shell.
"""

from __future__ import annotations

import asyncio
import base64
import os
import shutil
import sys
from typing import Any

from xiaodazi.core.tools import Gate, Risk, ToolContext, ToolFailed, ToolOutput, ToolSpec, Verdict, tool
from xiaodazi.tools.desktop import desktop_gate

NOTIFY_EVENT = "notify"
MAX_CLIPBOARD_CHARS = 100_000
_read_gate = desktop_gate("clipboard", lambda a: "读取剪贴板内容 / read what is on the clipboard")


def clipboard_gate(ctx: ToolContext, args: dict[str, Any]) -> Gate:
    """Writing the clipboard is harmless; reading it may expose passwords, so that asks first."""
    if args.get("text") is not None:
        return Gate(Verdict.allow, reason="writing to the clipboard")
    return _read_gate(ctx, args)


@tool(risk=Risk.desktop, gate=clipboard_gate, modes=("desktop",))
def clipboard(ctx: ToolContext, text: str | None = None) -> ToolOutput:
    """Read the clipboard (no text given) or put text on it.

    Args:
        text: the text to copy; leave out to read what is on the clipboard
    """
    import pyperclip

    try:
        if text is not None:
            pyperclip.copy(text)
            return ToolOutput(f"copied {len(text)} characters to the clipboard")
        content = pyperclip.paste() or ""
    except pyperclip.PyperclipException as exc:
        raise ToolFailed(f"剪贴板不可用 / clipboard unavailable: {exc} (Linux needs xclip, xsel or wl-clipboard)") from exc
    cut = content[:MAX_CLIPBOARD_CHARS]
    return ToolOutput(cut if content else "(the clipboard is empty)", untrusted=True,
                      data={"chars": len(content), "truncated": len(content) > len(cut)})


_WINDOWS_TOAST = (
    "$t=[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($env:XDZ_TITLE));"
    "$b=[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($env:XDZ_BODY));"
    "[Windows.UI.Notifications.ToastNotificationManager,Windows.UI.Notifications,ContentType=WindowsRuntime]|Out-Null;"
    "$x=[Windows.UI.Notifications.ToastNotificationManager]::GetTemplateContent("
    "[Windows.UI.Notifications.ToastTemplateType]::ToastText02);"
    "$n=$x.GetElementsByTagName('text');$n.Item(0).AppendChild($x.CreateTextNode($t))|Out-Null;"
    "$n.Item(1).AppendChild($x.CreateTextNode($b))|Out-Null;"
    "[Windows.UI.Notifications.ToastNotificationManager]::CreateToastNotifier('xiaodazi').Show("
    "[Windows.UI.Notifications.ToastNotification]::new($x))"
)


def notifier_command(title: str, body: str) -> tuple[list[str], dict[str, str]] | None:
    """The OS notifier's argv (and extra env) for this platform, or None when there is none."""
    if sys.platform == "darwin" and shutil.which("osascript"):
        script = ["-e", "on run argv", "-e", "display notification (item 2 of argv) with title (item 1 of argv)",
                  "-e", "end run"]
        return ["osascript", *script, title, body], {}
    if sys.platform.startswith("win") and shutil.which("powershell"):
        env = {"XDZ_TITLE": base64.b64encode(title.encode()).decode(), "XDZ_BODY": base64.b64encode(body.encode()).decode()}
        return ["powershell", "-NoProfile", "-NonInteractive", "-Command", _WINDOWS_TOAST], env
    if shutil.which("notify-send"):
        return ["notify-send", "--app-name=xiaodazi", "--", title, body], {}
    return None


async def _os_notify(title: str, body: str) -> str | None:
    """Show the notification with the OS notifier; its name, or None when it is missing or failed."""
    command = notifier_command(title, body)
    if command is None:
        return None
    argv, extra_env = command
    proc = await asyncio.create_subprocess_exec(
        *argv, env={**os.environ, **extra_env}, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        code = await asyncio.wait_for(proc.wait(), timeout=10)
    except TimeoutError:
        proc.kill()
        return None
    return os.path.basename(argv[0]) if code == 0 else None


@tool(risk=Risk.read)
async def notify(ctx: ToolContext, title: str, body: str = "") -> ToolOutput:
    """Show the user a notification (a desktop notification, or a message in the app window).

    Args:
        title: short headline
        body: the message text
    """
    if ctx.mode == "desktop":
        shown_by = await _os_notify(title, body)
        if shown_by:
            return ToolOutput(f"desktop notification shown ({shown_by})", data={"via": shown_by})
    if ctx.emit is not None:
        await ctx.emit(NOTIFY_EVENT, {"title": title, "body": body})
        return ToolOutput("notification sent to the app window", data={"via": "app"})
    raise ToolFailed("没有可用的通知方式 / no way to notify here (no desktop notifier and no app window)")


TOOLS: list[ToolSpec] = [clipboard, notify]
