"""run_python: run a snippet in a separate Python process with the workspace as its folder.

The child uses this interpreter (pandas, matplotlib, openpyxl, python-docx available), gets a
memory cap where the OS has one, an environment without keys, matplotlib's Agg backend with a
CJK-capable font when one is installed, and a timeout. Images it saves are returned as artifacts.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

from xiaodazi.config import python_command
from xiaodazi.core.tools import Gate, Risk, ToolContext, ToolFailed, ToolOutput, Verdict, tool
from xiaodazi.tools.shell import cap_output, clean_env, run_process

MEMORY_CAP = 4 * 1024**3
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp"}
SCAN_SKIP = {".git", "node_modules", "__pycache__", ".venv", "venv", ".xiaodazi"}
SCAN_CAP = 20_000
# Font families with Chinese glyphs, per OS; the first installed one wins in matplotlib.
CJK_FONTS = {
    "Noto Sans CJK SC": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                         "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
    "Noto Serif CJK SC": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",),
    "WenQuanYi Zen Hei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",),
    "Microsoft YaHei": ("C:/Windows/Fonts/msyh.ttc",),
    "SimHei": ("C:/Windows/Fonts/simhei.ttf",),
    "PingFang SC": ("/System/Library/Fonts/PingFang.ttc",),
    "Hiragino Sans GB": ("/System/Library/Fonts/Hiragino Sans GB.ttc",),
    "Arial Unicode MS": ("/Library/Fonts/Arial Unicode.ttf",),
}
# Runs in the child before the user's code: memory cap, then the code as __main__.
BOOT = """
import runpy, sys
try:
    import resource
    cap = int(sys.argv[2])
    if cap > 0:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
except (ImportError, ValueError, OSError):
    pass
path = sys.argv[1]
sys.argv = [path]
runpy.run_path(path, run_name="__main__")
"""


def cjk_fonts() -> list[str]:
    """Installed CJK-capable font families, best first."""
    return [family for family, files in CJK_FONTS.items() if any(os.path.exists(f) for f in files)]


def _matplotlibrc(folder: Path) -> Path:
    rc = folder / "matplotlibrc"
    families = ", ".join([*cjk_fonts(), "DejaVu Sans"])
    rc.write_text(f"backend: Agg\nfont.family: sans-serif\nfont.sans-serif: {families}\naxes.unicode_minus: False\n",
                  encoding="utf-8")
    return rc


def _images(root: Path) -> dict[Path, float]:
    """Image files under the workspace with their modification times (bounded walk)."""
    found: dict[Path, float] = {}
    seen = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SCAN_SKIP]
        for name in files:
            seen += 1
            if Path(name).suffix.lower() in IMAGE_SUFFIXES:
                path = Path(folder) / name
                try:
                    found[path] = path.stat().st_mtime_ns
                except OSError:
                    continue
        if seen > SCAN_CAP:
            break
    return found


def python_gate(ctx: ToolContext, args: dict) -> Gate:
    """Ask by default (code can do anything); "always allow" stores the rule tool:run_python."""
    code = str(args.get("code", ""))
    policy = ctx.services.get("policy")
    if policy is None:
        return Gate(Verdict.ask, reason="runs Python code on your computer", rule="default:ask", detail=code)
    denied = policy.check_code(code)
    if denied is not None:
        return denied
    if policy.tool_allowed("run_python"):
        return Gate(Verdict.allow, reason="always allowed by the user", rule="tool:run_python", detail=code)
    return Gate(Verdict.ask, reason="runs Python code on your computer", rule="default:ask", detail=code,
                remember=lambda: policy.allow_tool("run_python") and None)


@tool(risk=Risk.execute, gate=python_gate)
async def run_python(ctx: ToolContext, code: str, timeout: int = 120) -> ToolOutput:
    """Run Python code in a separate process in the workspace (pandas, matplotlib, openpyxl available).

    Print results to see them; save charts/images into the workspace to show them to the user.

    Args:
        code: a complete Python program
        timeout: seconds before the program is stopped (max 1800)
    """
    workspace = Path(ctx.workspace)
    workspace.mkdir(parents=True, exist_ok=True)
    limit = max(1, min(int(timeout), 1800))
    before = _images(workspace)
    with tempfile.TemporaryDirectory(prefix="xdz-py-") as tmp:
        script = Path(tmp) / f"snippet_{uuid.uuid4().hex[:8]}.py"
        script.write_text(code, encoding="utf-8")
        env = clean_env() | {"MPLBACKEND": "Agg", "MATPLOTLIBRC": str(_matplotlibrc(Path(tmp))),
                             "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUTF8": "1"}
        argv = [*python_command(), "-X", "utf8", "-c", BOOT, str(script), str(MEMORY_CAP)]
        result = await run_process(argv, cwd=workspace, env=env, timeout=limit)
    text, saved = cap_output(ctx, result.output, "python")
    if result.timed_out:
        raise ToolFailed(f"timed out after {limit}s; the program was stopped.\n{text}")
    after = _images(workspace)
    new = sorted(str(p.relative_to(workspace)) for p, m in after.items() if before.get(p) != m)
    head = f"exit code {result.exit_code}" + (f"; full output saved to {saved}" if saved else "")
    if new:
        head += "; images: " + ", ".join(new)
    return ToolOutput(text=f"{head}\n{text}".rstrip(), artifacts=new,
                      data={"exit_code": result.exit_code, "output_file": saved, "images": new})


TOOLS = [run_python]
