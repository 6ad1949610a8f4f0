"""Uploads and attachments: safe file names, images for vision models, documents as text."""

from __future__ import annotations

import base64
import io
import re
import unicodedata
from pathlib import Path
from typing import Any

from xiaodazi.core.errors import InvalidInput, NotFound

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp"}
DOCUMENT_SUFFIXES = {".pdf", ".docx", ".xlsx", ".pptx"}
TEXT_LIMIT = 20_000
IMAGE_MAX_SIDE = 1568
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def safe_name(raw: str) -> str:
    """A file name with no path, no control or reserved characters, safe on Windows, macOS and Linux."""
    name = unicodedata.normalize("NFC", raw.replace("\\", "/").split("/")[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'[<>:"|?*]', "_", name).strip(" .")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = stem[:120] or "file"
    if stem.lower() in _RESERVED:
        stem = "_" + stem
    return f"{stem}.{suffix[:16]}" if suffix else stem


def unique_path(folder: Path, name: str) -> Path:
    """`folder/name`, or `name-2`, `name-3`… when taken: an upload never overwrites."""
    candidate = folder / name
    stem, suffix = candidate.stem, candidate.suffix
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{n}{suffix}"
        n += 1
    return candidate


def uploads_dir(workspace: Path) -> Path:
    folder = workspace / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def resolve_upload(workspace: Path, upload_id: str) -> Path:
    """The file of an upload id (its name in uploads/); NotFound for anything else."""
    folder = uploads_dir(workspace).resolve()
    path = (folder / upload_id).resolve()
    if path.parent != folder or not path.is_file():
        raise NotFound(f"no upload {upload_id!r}")
    return path


def _image_part(path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    mime = "image/jpeg" if path.suffix.lower() in (".jpg", ".jpeg") else f"image/{path.suffix.lower()[1:]}"
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as img:
            if max(img.size) > IMAGE_MAX_SIDE:
                img.thumbnail((IMAGE_MAX_SIDE, IMAGE_MAX_SIDE))
                out = io.BytesIO()
                img.convert("RGB").save(out, "JPEG", quality=85)
                data, mime = out.getvalue(), "image/jpeg"
    except ImportError:
        pass
    return {"type": "image_url", "image_url": {"url": f"data:{mime};base64,{base64.b64encode(data).decode()}"}}


def _document_text(path: Path) -> str:
    if path.suffix.lower() in DOCUMENT_SUFFIXES:
        try:
            from xiaodazi.tools.documents import extract_text
        except ImportError:
            return "[this document type cannot be read here]"
        text = extract_text(path)
    else:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            from charset_normalizer import from_bytes

            best = from_bytes(raw).best()
            text = str(best) if best is not None else "[binary file]"
    return text[:TEXT_LIMIT] + ("\n[…cut]" if len(text) > TEXT_LIMIT else "")


def describe(workspace: Path, ids: list[str], vision: bool, model: str) -> list[dict[str, str]]:
    """Check attachments before a turn: they exist, and images only go to models that can see."""
    out = []
    for upload_id in ids:
        path = resolve_upload(workspace, upload_id)
        kind = "image" if path.suffix.lower() in IMAGE_SUFFIXES else "document"
        if kind == "image" and not vision:
            raise InvalidInput(f"{model} cannot see images. Pick a vision model (e.g. Qwen3 VL Plus) or remove "
                               f"the image. / 当前模型无法识别图片，请换用支持视觉的模型或移除图片。")
        out.append({"id": upload_id, "path": path.relative_to(workspace.resolve()).as_posix(), "kind": kind})
    return out


def expand_content(workspace: Path, text: str, attachments: list[dict[str, str]], images: bool) -> Any:
    """The user message as the model sees it: documents inlined as text, images as parts."""
    parts_text = [text]
    images_out = []
    for att in attachments:
        path = workspace / att["path"]
        if not path.is_file():
            parts_text.append(f"[attachment {att['path']} no longer exists]")
        elif att["kind"] == "image":
            if images:
                images_out.append(_image_part(path))
            else:
                parts_text.append(f"[image attached earlier: {att['path']}]")
        else:
            parts_text.append(f"[Attached file {att['path']}]\n{_document_text(path)}")
    joined = "\n\n".join(parts_text)
    return [{"type": "text", "text": joined}, *images_out] if images_out else joined
