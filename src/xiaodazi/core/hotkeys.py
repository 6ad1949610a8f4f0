"""Global hotkey combinations: parsing, the canonical spelling and the defaults (shared by the API and the desktop)."""

from __future__ import annotations

from dataclasses import dataclass

from xiaodazi.core.errors import InvalidInput

# Ctrl+Space switches the input method on Chinese systems, Alt+Space opens the window menu on Windows and
# Win/Cmd+Space belong to the OS: so quick ask takes Ctrl+Alt+Space. Stop is Esc with three modifiers
# (Ctrl+Shift+Esc is the Task Manager, Ctrl+Alt+Esc is xkill on KDE).
DEFAULTS = {"quick_ask": "Ctrl+Alt+Space", "stop": "Ctrl+Alt+Shift+Escape"}
MODIFIERS = {"ctrl": "Ctrl", "control": "Ctrl", "alt": "Alt", "option": "Alt", "shift": "Shift",
             "super": "Super", "win": "Super", "meta": "Super", "cmd": "Super", "command": "Super"}
MODIFIER_ORDER = ("Ctrl", "Alt", "Shift", "Super")
NAMED_KEYS = {"space": "Space", "esc": "Escape", "escape": "Escape", "enter": "Enter", "return": "Enter",
              "tab": "Tab", "home": "Home", "end": "End", "pageup": "PageUp", "pagedown": "PageDown",
              "insert": "Insert", "delete": "Delete", "up": "Up", "down": "Down", "left": "Left",
              "right": "Right", "pause": "Pause"}
FUNCTION_KEYS = {f"f{n}": f"F{n}" for n in range(1, 25)}


class HotkeyError(InvalidInput):
    """A combination that cannot be a global hotkey; the message is shown to the user."""


@dataclass(frozen=True)
class Hotkey:
    modifiers: tuple[str, ...]
    key: str

    def __str__(self) -> str:
        return "+".join((*self.modifiers, self.key))


def parse_hotkey(text: str) -> Hotkey:
    """"ctrl+alt+space" → Hotkey(("Ctrl", "Alt"), "Space"); HotkeyError with a readable reason otherwise."""
    original = text.replace(" ", "").split("+")
    parts = [p.lower() for p in original]
    if not text.strip() or any(not p for p in parts):
        raise HotkeyError(f"快捷键格式不对 / not a key combination: {text!r} (e.g. Ctrl+Alt+Space)")
    *mods, key = parts
    unknown = [original[i] for i, m in enumerate(mods) if m not in MODIFIERS]
    if unknown:
        raise HotkeyError(f"未知的修饰键 / unknown modifier: {unknown[0]!r} (use Ctrl, Alt, Shift, Super)")
    modifiers = tuple(m for m in MODIFIER_ORDER if m in {MODIFIERS[x] for x in mods})
    name = _key_name(key)
    if name is None:
        raise HotkeyError(f"不支持的按键 / unsupported key: {original[-1]!r} (letters, digits, F1–F24, Space, Esc, …)")
    if {"Ctrl", "Alt"} <= set(modifiers) and name in [f"F{n}" for n in range(1, 13)]:
        raise HotkeyError(f"Linux 上 Ctrl+Alt+{name} 用来切换控制台，程序收不到 / on Linux Ctrl+Alt+{name} switches "
                          "the console and never reaches an app; pick another key")
    if not set(modifiers) - {"Shift"} and not name.startswith("F"):
        raise HotkeyError("全局快捷键至少要带 Ctrl、Alt 或 Super，否则会吃掉正常输入 / a global hotkey needs "
                          "Ctrl, Alt or Super, or it would swallow normal typing")
    return Hotkey(modifiers, name)


def _key_name(key: str) -> str | None:
    if len(key) == 1 and key.isascii() and key.isalnum():
        return key.upper()
    return NAMED_KEYS.get(key) or FUNCTION_KEYS.get(key)
