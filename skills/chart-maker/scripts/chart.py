"""Draw a bar, line, pie, scatter, stacked or combo chart from a table file or inline numbers.

Usage:
  chart.py --file sales.xlsx --kind bar --x 地区 --y 销售额 --out chart.png [--title T] [--json]
  chart.py --data '{"月份": ["1月", "2月"], "收入": [10, 12]}' --kind line --x 月份 --y 收入 --out c.svg
Options: --y takes several comma-separated columns (grouped/stacked bars, several lines); --y2 adds a
line on a second axis for --kind combo; --width/--height in inches and --dpi fix the pixel size.
Chinese labels need a CJK font: the script picks one that is installed and reports it (or warns).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

# the shared helpers live in the spreadsheet-analysis skill, shipped alongside this one
sys.path.append(str(Path(__file__).resolve().parents[2] / "spreadsheet-analysis" / "scripts"))
from tableio import InputError, emit, need_columns, read_table, run  # noqa: E402

KINDS = ("bar", "barh", "line", "pie", "scatter", "stacked", "combo")
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB",
             "SimHei", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Noto Serif CJK SC", "Arial Unicode MS",
             "Heiti SC", "STHeiti", "Noto Sans SC")


def pick_cjk_font() -> str | None:
    """Use the first installed font that has Chinese glyphs, so labels do not render as boxes."""
    import matplotlib
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    font = next((name for name in CJK_FONTS if name in installed), None)
    if font:
        matplotlib.rcParams["font.sans-serif"] = [font, *matplotlib.rcParams["font.sans-serif"]]
    matplotlib.rcParams["axes.unicode_minus"] = False  # the minus glyph is missing from many CJK fonts
    return font


def load(a):
    """The table to draw: a file, or inline JSON columns."""
    if a.file:
        return read_table(a.file, sheet=a.sheet, encoding=a.encoding)
    import pandas as pd

    try:
        return pd.DataFrame(json.loads(a.data))
    except (ValueError, TypeError) as exc:
        raise InputError(f"--data must be JSON columns of equal length: {exc}") from exc


def draw(ax, df, kind, x, ys, y2):
    """Draw on the axes; returns the number of bars or points or slices drawn."""
    if kind == "pie":
        ax.pie(df[ys[0]], labels=df[x].astype(str), autopct="%1.1f%%", startangle=90, counterclock=False)
        ax.axis("equal")
        return len(df)
    if kind == "scatter":
        ax.scatter(df[x], df[ys[0]])
        ax.set_xlabel(x)
        ax.set_ylabel(ys[0])
        return len(df)
    if kind == "line":
        for y in ys:
            ax.plot(df[x].astype(str), df[y], marker="o", label=y)
        return len(df) * len(ys)
    plot = df.set_index(x)[ys]
    plot.index = plot.index.astype(str)
    plot.plot(kind="barh" if kind == "barh" else "bar", stacked=kind == "stacked", ax=ax, rot=0, legend=len(ys) > 1)
    if kind == "combo" and y2:
        right = ax.twinx()
        right.plot(range(len(df)), df[y2], color="tab:red", marker="o", label=y2)
        right.set_ylabel(y2)
    return sum(len(c) for c in ax.containers)


def tidy_labels(ax, df, x, kind):
    """Rotate long or crowded category labels so they stay readable."""
    if kind in ("pie", "scatter", "barh"):
        return
    labels = df[x].astype(str)
    if len(labels) > 8 or labels.str.len().max() > 6:
        for label in ax.get_xticklabels():
            label.set_rotation(35)
            label.set_ha("right")


def build_parser() -> argparse.ArgumentParser:
    """Command-line interface."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--file")
    src.add_argument("--data")
    ap.add_argument("--sheet")
    ap.add_argument("--encoding")
    ap.add_argument("--kind", choices=KINDS, default="bar")
    ap.add_argument("--x", required=True)
    ap.add_argument("--y", required=True)
    ap.add_argument("--y2")
    ap.add_argument("--title", default="")
    ap.add_argument("--top", type=int, help="keep the N largest rows of the first --y column")
    ap.add_argument("--out", required=True)
    ap.add_argument("--width", type=float, default=10)
    ap.add_argument("--height", type=float, default=6)
    ap.add_argument("--dpi", type=int, default=100)
    ap.add_argument("--json", action="store_true")
    return ap


def main() -> int:
    """Entry point."""
    a = build_parser().parse_args()

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    df = load(a)
    ys = need_columns(df, a.y)
    need_columns(df, [a.x] + ([a.y2] if a.y2 else []))
    aggregated = a.kind != "scatter" and df[a.x].duplicated().any()
    if aggregated:  # repeated categories (one row per sale) are drawn as their totals
        df = df.groupby(a.x, sort=False)[ys + ([a.y2] if a.y2 else [])].sum().reset_index()
    if a.top:
        df = df.nlargest(a.top, ys[0])
    font = pick_cjk_font()
    fig, ax = plt.subplots(figsize=(a.width, a.height), dpi=a.dpi)
    count = draw(ax, df, a.kind, a.x, ys, a.y2)
    ax.set_title(a.title)
    tidy_labels(ax, df, a.x, a.kind)
    fig.tight_layout()
    fig.savefig(a.out, dpi=a.dpi)  # no bbox_inches="tight": the pixel size must stay width*dpi x height*dpi
    plt.close(fig)
    result = {"out": a.out, "kind": a.kind, "marks": count, "size_px": [int(a.width * a.dpi), int(a.height * a.dpi)],
              "cjk_font": font, "aggregated": bool(aggregated)}
    if a.kind in ("bar", "barh", "stacked", "combo"):
        result["bars"] = count
    if font is None:
        result["warning"] = "no CJK font found: Chinese text may show as boxes (install Noto Sans CJK)"
    emit(result, a.json)
    return 0


if __name__ == "__main__":
    run(main)
