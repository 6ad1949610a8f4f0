"""Desktop control (pyautogui): screenshot, click, move, type_text, hotkey, scroll, open_app, list_windows.

Only offered in desktop mode. Every call asks the user first unless they chose "always allow"
for that tool. pyautogui's fail-safe stays on: moving the mouse into a screen corner stops the
next action. pyautogui needs a display when imported, so it is imported inside the tools.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any, Literal

from xiaodazi.core.tools import (
    Gate,
    Risk,
    ToolContext,
    ToolFailed,
    ToolOutput,
    ToolRetry,
    ToolSpec,
    Verdict,
    tool,
)
from xiaodazi.tools.desktop_apps import launch, windows
from xiaodazi.tools.paths import display_path, resolve_path

IS_MAC = sys.platform == "darwin"
PASTE_KEYS = ["command", "v"] if IS_MAC else ["ctrl", "v"]


def desktop_gate(name: str, describe: Callable[[dict[str, Any]], str]) -> Callable[[ToolContext, dict[str, Any]], Gate]:
    """A gate that asks before `name` acts (showing what it will do) unless the user always allows it."""

    def gate(ctx: ToolContext, args: dict[str, Any]) -> Gate:
        policy = ctx.services.get("policy")
        if policy is not None and policy.tool_allowed(name):
            return Gate(Verdict.allow, reason=f"you always allow {name}", rule=f"tool:{name}")
        remember = (lambda: policy.allow_tool(name) and None) if policy is not None else None
        return Gate(Verdict.ask, reason=f"{name} 会操作你的桌面 / {name} controls your desktop",
                    detail=describe(args), remember=remember)

    return gate


def _desktop(name: str, describe: Callable[[dict[str, Any]], str]) -> Callable[[Any], ToolSpec]:
    return tool(risk=Risk.desktop, gate=desktop_gate(name, describe), modes=("desktop",))


def gui() -> Any:
    """pyautogui with its fail-safe on; ToolFailed when there is no display to control."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise ToolFailed("没有可控制的桌面显示 / no display to control (DISPLAY is not set)")
    try:
        import pyautogui
    except Exception as exc:  # Xlib refuses the display, missing libraries, ...
        raise ToolFailed(f"桌面控制不可用 / desktop control unavailable: {exc}") from exc
    pyautogui.FAILSAFE = True
    return pyautogui


@contextlib.contextmanager
def _acting() -> Iterator[Any]:
    """pyautogui for one action; the fail-safe and display errors become readable failures."""
    pg = gui()
    try:
        yield pg
    except pg.FailSafeException as exc:
        raise ToolFailed("已停止：鼠标在屏幕角落（安全保护）/ stopped: the mouse is in a screen corner "
                         "(fail-safe). Move it away from the corner to continue.") from exc


def _stop_if_cancelled(ctx: ToolContext) -> None:
    """End a long action as soon as the user presses stop (the run is flagged before its task is cancelled)."""
    run = ctx.services.get("run")
    if run is not None and getattr(run, "cancel_requested", False):
        raise ToolFailed("已停止 / stopped by the user")


def _on_screen(pg: Any, x: int, y: int) -> None:
    width, height = pg.size()
    if not (0 <= x < width and 0 <= y < height):
        raise ToolRetry(f"({x}, {y}) is off the screen; it is {width}×{height} (x 0-{width - 1}, y 0-{height - 1})")


def _grab_screen() -> Any:
    """The whole screen as a PIL image: Pillow grabs it directly (X11 via XCB, macOS, Windows).

    pyautogui's own path on Linux shells out to scrot and drops a temporary file in the current
    folder, so it is only the fallback (e.g. Wayland with gnome-screenshot).
    """
    from PIL import ImageGrab

    try:
        return ImageGrab.grab()
    except OSError:
        with _acting() as pg:
            return pg.screenshot()


@_desktop("screenshot", lambda a: "截取整个屏幕并保存到工作区 / take a screenshot of the screen (saved to the workspace)")
def screenshot(ctx: ToolContext) -> ToolOutput:
    """Take a screenshot of the whole screen, save it as a PNG in the workspace and show it."""
    target = resolve_path(ctx, f"screenshots/screen-{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 1000:03d}.png")
    target.parent.mkdir(parents=True, exist_ok=True)
    image = _grab_screen()
    image.save(target)
    shown = display_path(ctx, target)
    return ToolOutput(f"screenshot {image.width}×{image.height} saved to {shown}", artifacts=[shown],
                      data={"path": shown, "width": image.width, "height": image.height})


@_desktop("click", lambda a: f"点击 / click {a.get('button', 'left')} ×{a.get('clicks', 1)} at ({a['x']}, {a['y']})")
def click(ctx: ToolContext, x: int, y: int, button: Literal["left", "right", "middle"] = "left",
          clicks: int = 1) -> str:
    """Click the mouse at screen position (x, y).

    Args:
        x: pixels from the left edge of the screen
        y: pixels from the top edge of the screen
        button: which mouse button
        clicks: 1 for a click, 2 for a double click
    """
    with _acting() as pg:
        _on_screen(pg, x, y)
        pg.click(x=x, y=y, button=button, clicks=max(1, min(clicks, 3)), interval=0.1)
    return f"clicked {button} ×{clicks} at ({x}, {y})"


@_desktop("move", lambda a: f"移动鼠标 / move the mouse to ({a['x']}, {a['y']})")
def move(ctx: ToolContext, x: int, y: int) -> str:
    """Move the mouse pointer to screen position (x, y) without clicking."""
    with _acting() as pg:
        _on_screen(pg, x, y)
        pg.moveTo(x, y, duration=0.1)
    return f"mouse at ({x}, {y})"


def _runs(text: str) -> list[tuple[bool, str]]:
    """Split text into (is_plain_ascii, chunk) runs: ASCII is typed, everything else is pasted."""
    runs: list[tuple[bool, str]] = []
    for ch in text:
        plain = ch.isascii()
        if runs and runs[-1][0] == plain:
            runs[-1] = (plain, runs[-1][1] + ch)
        else:
            runs.append((plain, ch))
    return runs


@_desktop("type_text", lambda a: f"在当前窗口输入 / type into the focused window: {a['text']}")
def type_text(ctx: ToolContext, text: str, interval: float = 0.02) -> str:
    """Type text into the focused window (Chinese and other non-ASCII text is pasted via the clipboard).

    Args:
        text: what to type; "\\n" presses Enter
        interval: seconds between keystrokes
    """
    import pyperclip

    with _acting() as pg:
        for plain, chunk in _runs(text):
            _stop_if_cancelled(ctx)
            if plain:
                for ch in chunk:  # one key at a time, so a stop lands before the very next key
                    _stop_if_cancelled(ctx)
                    pg.write(ch, _pause=False)
                    time.sleep(max(0.0, min(interval, 0.5)))
            else:
                _set_clipboard(pyperclip, chunk)
                pg.hotkey(*PASTE_KEYS)
                time.sleep(0.15)  # let the app fetch the clipboard before it changes again
    return f"typed {len(text)} characters"


def _set_clipboard(pyperclip: Any, text: str) -> None:
    """Copy and wait until the clipboard really holds it (xclip takes the selection a moment later)."""
    pyperclip.copy(text)
    deadline = time.monotonic() + 2.0
    while pyperclip.paste() != text:
        if time.monotonic() > deadline:
            raise ToolFailed("剪贴板不可用 / the clipboard did not take the text (is xclip or xsel installed?)")
        time.sleep(0.05)


@_desktop("hotkey", lambda a: "按下组合键 / press " + "+".join(a["keys"]))
def hotkey(ctx: ToolContext, keys: list[str]) -> str:
    """Press a key combination, e.g. ["ctrl", "c"] or ["alt", "tab"] or ["enter"].

    Args:
        keys: key names pressed together in order (pyautogui names: ctrl, alt, shift, win, command, enter, tab, f5, a …)
    """
    with _acting() as pg:
        names = [k.lower() for k in keys]
        unknown = [k for k in names if k not in pg.KEYBOARD_KEYS]
        if not names or unknown:
            raise ToolRetry(f"unknown key(s) {unknown or keys}; use names like ctrl, alt, shift, enter, tab, esc, f5, a")
        pg.hotkey(*names)
    return "pressed " + "+".join(names)


@_desktop("scroll", lambda a: f"滚动 / scroll {a['amount']}")
def scroll(ctx: ToolContext, amount: int, x: int | None = None, y: int | None = None) -> str:
    """Scroll the mouse wheel: positive scrolls up, negative down (at (x, y) if given).

    Args:
        amount: wheel clicks; positive up, negative down
        x: where to scroll (default: where the mouse is)
        y: where to scroll (default: where the mouse is)
    """
    with _acting() as pg:
        if x is not None and y is not None:
            _on_screen(pg, x, y)
        pg.scroll(amount, x=x, y=y)
    return f"scrolled {amount}"


@_desktop("open_app", lambda a: f"打开应用 / open the application {a['name']}")
def open_app(ctx: ToolContext, name: str) -> ToolOutput:
    """Start an application by name (e.g. "firefox", "Calculator", "notepad").

    Args:
        name: the application's name or command, without arguments
    """
    pid = launch(name)
    return ToolOutput(f"started {name}" + (f" (pid {pid})" if pid else ""), data={"pid": pid})


@_desktop("list_windows", lambda a: "列出打开的窗口标题 / list the titles of open windows")
def list_windows(ctx: ToolContext) -> ToolOutput:
    """List the open windows with their titles and positions."""
    found = windows()
    lines = [f"- {w['title']!r} at ({w['x']}, {w['y']}) size {w['width']}×{w['height']}" for w in found]
    text = "\n".join(lines) if lines else "no windows found"
    return ToolOutput(text, data={"windows": found}, untrusted=True)  # titles are written by other programs


TOOLS: list[ToolSpec] = [screenshot, click, move, type_text, hotkey, scroll, open_app, list_windows]
