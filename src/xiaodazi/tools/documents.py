"""Document tools: create_docx, create_xlsx, create_pptx, create_pdf from a structured outline.

Paths go through the path guard; images must be workspace files; charts are drawn from data.
Each file is written to a temporary name and moved into place, and the change is journaled so
"undo this task" removes (or restores) it. `extract_text` is the reader `read_file` uses.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from xiaodazi.core.tools import Gate, Risk, ToolContext, ToolOutput, ToolRetry, ToolSpec, Verdict, tool
from xiaodazi.tools.doc_extract import EXTRACTABLE, extract_text
from xiaodazi.tools.doc_outline import Chart, Image, Outline, Sheet, Slide
from xiaodazi.tools.journal import journal_for
from xiaodazi.tools.paths import display_path, in_workspace, resolve_path

__all__ = ["EXTRACTABLE", "TOOLS", "extract_text"]

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp")
Writer = Callable[[Path, Callable[[Image | Chart], Path]], None]


def _target(ctx: ToolContext, path: str, suffix: str) -> Path:
    """The guarded destination; a path without an extension gets `suffix`, a different one is refused."""
    if not Path(path).suffix:
        path += suffix
    elif Path(path).suffix.lower() != suffix:
        raise ToolRetry(f"{path!r}: this tool writes {suffix} files; use a path ending in {suffix}")
    real = resolve_path(ctx, path)
    if real.is_dir():
        raise ToolRetry(f"{path!r} is a folder; give a file name ending in {suffix}")
    return real


def document_gate(tool_name: str) -> Callable[[ToolContext, dict[str, Any]], Gate]:
    """Refuse escapes before any approval; ask before overwriting a file outside the workspace; else allow."""

    def gate(ctx: ToolContext, args: dict[str, Any]) -> Gate:
        raw = str(args.get("path", ""))
        try:
            real = resolve_path(ctx, raw)
        except ToolRetry as exc:
            return Gate(Verdict.deny, reason=exc.message, rule="path-guard", detail=raw)
        detail = f"{'overwrite' if real.exists() else 'create'}: {display_path(ctx, real)}"
        if not real.exists() or in_workspace(ctx, real):
            return Gate(Verdict.allow, reason="inside the allowed folders", rule="files:inside", detail=detail)
        policy = ctx.services.get("policy")
        if policy is not None and policy.tool_allowed(tool_name):
            return Gate(Verdict.allow, reason="always allowed by the user", rule=f"tool:{tool_name}", detail=detail)
        remember = (lambda: policy.allow_tool(tool_name) and None) if policy is not None else None
        return Gate(Verdict.ask, reason=f"overwrites your file {real} outside the workspace",
                    rule="files:outside-workspace", detail=detail, remember=remember)

    return gate


def _picture_source(ctx: ToolContext, tmp: Path) -> Callable[[Image | Chart], Path]:
    """Turns an image block into its guarded workspace file and a chart into a rendered PNG."""
    counter = itertools.count(1)

    def picture(block: Image | Chart) -> Path:
        if isinstance(block, Chart):
            from xiaodazi.tools.doc_charts import render_chart

            return render_chart(block, tmp / f"chart-{next(counter)}.png")
        src = resolve_path(ctx, block.path, must_exist=True)
        if src.suffix.lower() not in IMAGE_SUFFIXES:
            raise ToolRetry(f"{block.path!r} is not a picture ({', '.join(IMAGE_SUFFIXES)})")
        return src

    return picture


def _journal_parents(ctx: ToolContext, target: Path) -> None:
    """Create missing parent folders, journaled outermost first so undo removes them innermost first."""
    missing = [p for p in reversed(target.parents) if not p.exists()]
    journal = journal_for(ctx.services)
    for folder in missing:
        pending = journal.begin(ctx.run_id, "make_dir", folder) if journal and ctx.run_id else None
        folder.mkdir()
        if pending:
            journal.commit(pending)


def _create(ctx: ToolContext, path: str, suffix: str, writer: Writer, what: str) -> ToolOutput:
    target = _target(ctx, path, suffix)
    _journal_parents(ctx, target)
    journal = journal_for(ctx.services)
    pending = journal.begin(ctx.run_id, "write", target) if journal and ctx.run_id else None
    partial = target.with_name(f".{target.name}.partial")
    try:
        with tempfile.TemporaryDirectory(prefix="xiaodazi-doc-") as tmp:
            writer(partial, _picture_source(ctx, Path(tmp)))
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    if pending:
        journal.commit(pending)
    shown = display_path(ctx, target)
    size = target.stat().st_size
    return ToolOutput(f"已创建 / created {shown} ({what}, {size / 1024:.1f} KB)", artifacts=[shown],
                      data={"path": shown, "bytes": size})


@tool(risk=Risk.write, gate=document_gate("create_docx"))
def create_docx(ctx: ToolContext, path: str, outline: Outline) -> ToolOutput:
    """Create a Word document (.docx) from an outline of headings, paragraphs, lists, tables, images and charts.

    Args:
        path: where to save it, relative to the workspace (e.g. "reports/周报.docx")
        outline: the document: optional title and blocks in reading order
    """
    from xiaodazi.tools.doc_office import write_docx

    return _create(ctx, path, ".docx", lambda out, pic: write_docx(out, outline, pic), f"{len(outline.blocks)} blocks")


@tool(risk=Risk.write, gate=document_gate("create_xlsx"))
def create_xlsx(ctx: ToolContext, path: str, sheets: list[Sheet]) -> ToolOutput:
    """Create an Excel workbook (.xlsx): one worksheet per sheet with header, rows (formulas allowed) and charts.

    Args:
        path: where to save it, relative to the workspace (e.g. "data/销售.xlsx")
        sheets: the worksheets in order
    """
    from xiaodazi.tools.doc_office import write_xlsx

    if not sheets:
        raise ToolRetry("give at least one sheet")
    return _create(ctx, path, ".xlsx", lambda out, pic: write_xlsx(out, sheets, pic), f"{len(sheets)} sheets")


@tool(risk=Risk.write, gate=document_gate("create_pptx"))
def create_pptx(ctx: ToolContext, path: str, slides: list[Slide]) -> ToolOutput:
    """Create a PowerPoint deck (.pptx, 16:9): each slide has a title, bullets/text, and a table, image or chart.

    Args:
        path: where to save it, relative to the workspace (e.g. "slides/汇报.pptx")
        slides: the slides in order; a first slide with only title and subtitle becomes the title slide
    """
    from xiaodazi.tools.doc_slides import write_pptx

    if not slides:
        raise ToolRetry("give at least one slide")
    return _create(ctx, path, ".pptx", lambda out, pic: write_pptx(out, slides, pic), f"{len(slides)} slides")


@tool(risk=Risk.write, gate=document_gate("create_pdf"))
def create_pdf(ctx: ToolContext, path: str, outline: Outline) -> ToolOutput:
    """Create a PDF (A4, Chinese font embedded) from an outline of headings, paragraphs, lists, tables, images and charts.

    Args:
        path: where to save it, relative to the workspace (e.g. "out/说明.pdf")
        outline: the document: optional title and blocks in reading order
    """
    from xiaodazi.tools.doc_pdf import write_pdf

    return _create(ctx, path, ".pdf", lambda out, pic: write_pdf(out, outline, pic), f"{len(outline.blocks)} blocks")


TOOLS: list[ToolSpec] = [create_docx, create_xlsx, create_pptx, create_pdf]
