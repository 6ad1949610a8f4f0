"""Charts for documents: bar, line and pie charts drawn with matplotlib into a PNG file.

Uses the object API with the Agg canvas (no pyplot, no global backend switch), so it is safe in
worker threads and inside the desktop app.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from xiaodazi.core.tools import ToolFailed
from xiaodazi.tools.doc_fonts import find_cjk_font
from xiaodazi.tools.doc_outline import Chart

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1)
def _font_families() -> tuple[str, ...]:
    """Font families for chart text: the CJK font first (registered once), then matplotlib's default."""
    from matplotlib import font_manager

    try:
        font = find_cjk_font()
    except ToolFailed:
        log.warning("no CJK font found: Chinese text in charts will not render")
        return ("DejaVu Sans",)
    from fontTools.ttLib import TTFont

    font_manager.fontManager.addfont(str(font.regular))
    with TTFont(str(font.regular), fontNumber=font.regular_index, lazy=True) as tt:
        family = tt["name"].getDebugName(1) or "DejaVu Sans"
    return (family, "DejaVu Sans")


def _draw(ax, chart: Chart) -> None:
    if chart.kind == "pie":
        ax.pie(chart.series[0].values, labels=chart.labels, autopct="%1.1f%%", startangle=90)
        ax.axis("equal")
        return
    positions = range(len(chart.labels))
    width = 0.8 / len(chart.series)
    for i, series in enumerate(chart.series):
        if chart.kind == "bar":
            offset = (i - (len(chart.series) - 1) / 2) * width
            ax.bar([p + offset for p in positions], series.values, width=width, label=series.name or None)
        else:
            ax.plot(list(positions), series.values, marker="o", label=series.name or None)
    ax.set_xticks(list(positions), chart.labels)
    ax.set_xlabel(chart.x_label)
    ax.set_ylabel(chart.y_label)
    ax.grid(axis="y", alpha=0.3)
    if any(s.name for s in chart.series):
        ax.legend()


def render_chart(chart: Chart, out: Path) -> Path:
    """Draw `chart` into the PNG file `out` and return its path."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"font.family": list(_font_families()), "axes.unicode_minus": False}):
        fig = Figure(figsize=(8, 4.5), dpi=150)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        _draw(ax, chart)
        if chart.title:
            ax.set_title(chart.title)
        fig.tight_layout()
        fig.savefig(out, format="png")
    return out
