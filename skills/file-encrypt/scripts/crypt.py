#!/usr/bin/env python3
"""Encrypt / decrypt a file or folder with a password: scrypt key derivation, AES-256-GCM in 1 MiB chunks."""
from __future__ import annotations

import argparse
import io
import json
import os
import struct
import sys
import tempfile
import zipfile
from pathlib import Path

MAGIC = b"XDZENC1\n"
CHUNK = 1 << 20
SCRYPT = {"n": 2**15, "r": 8, "p": 1}
SUFFIX = ".xdzenc"


class CryptError(Exception):
    """A problem the user can act on."""


def derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    """256-bit key from the password; scrypt makes each guess expensive."""
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(password.encode("utf-8"))


def nonce_for(prefix: bytes, index: int, last: bool) -> bytes:
    """Per-chunk nonce: random 7-byte prefix, 4-byte counter, 1 byte marking the final chunk (stops truncation)."""
    return prefix + struct.pack(">I", index) + (b"\x01" if last else b"\x00")


def folder_to_zip(folder: Path) -> bytes:
    """Pack a folder into an in-memory zip so it can be encrypted as one blob."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                z.write(p, p.relative_to(folder.parent).as_posix())
    return buf.getvalue()


def encrypt(src: Path, out: Path, password: str) -> dict:
    """Write header + encrypted chunks to a temp file, then move it into place."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    is_dir = src.is_dir()
    stream = io.BytesIO(folder_to_zip(src)) if is_dir else src.open("rb")
    salt, prefix = os.urandom(16), os.urandom(7)
    header = json.dumps({"kdf": "scrypt", **SCRYPT, "salt": salt.hex(), "nonce": prefix.hex(),
                         "kind": "folder" if is_dir else "file", "name": src.name}).encode()
    aes = AESGCM(derive(password, salt, **SCRYPT))
    with stream, atomic_writer(out) as f:
        f.write(MAGIC + struct.pack(">I", len(header)) + header)
        index, block = 0, stream.read(CHUNK)
        while True:
            nxt = stream.read(CHUNK)
            sealed = aes.encrypt(nonce_for(prefix, index, not nxt), block, header)
            f.write(struct.pack(">I", len(sealed)) + sealed)
            if not nxt:
                break
            index, block = index + 1, nxt
    return {"encrypted": str(out), "kind": "folder" if is_dir else "file", "bytes": out.stat().st_size}


def read_header(f) -> tuple[dict, bytes]:
    """Parse and return the header of an encrypted file."""
    if f.read(len(MAGIC)) != MAGIC:
        raise CryptError("not a file encrypted by this tool")
    (size,) = struct.unpack(">I", f.read(4))
    raw = f.read(size)
    return json.loads(raw), raw


def chunks(f, aes, prefix: bytes, raw: bytes):
    """Yield verified plaintext chunks; a bad tag means a wrong password or a damaged file."""
    from cryptography.exceptions import InvalidTag

    index, size_bytes = 0, f.read(4)
    while size_bytes:
        sealed = f.read(struct.unpack(">I", size_bytes)[0])
        size_bytes = f.read(4)
        try:
            yield aes.decrypt(nonce_for(prefix, index, not size_bytes), sealed, raw)
        except InvalidTag as exc:
            raise CryptError("wrong password, or the file is damaged / incomplete") from exc
        index += 1


def decrypt(src: Path, out: Path | None, password: str) -> dict:
    """Stream-decrypt to a temp file; it only replaces the target if every chunk verified."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    out = out or src.parent
    with src.open("rb") as f:
        header, raw = read_header(f)
        aes = AESGCM(derive(password, bytes.fromhex(header["salt"]), header["n"], header["r"], header["p"]))
        parts = chunks(f, aes, bytes.fromhex(header["nonce"]), raw)
        if header["kind"] == "folder":
            return unpack_folder(header, b"".join(parts), out)
        target = out / header["name"] if out.is_dir() else out
        if target.exists():
            raise CryptError(f"{target} already exists; choose another --out")
        with atomic_writer(target) as w:
            for part in parts:
                w.write(part)
    return {"decrypted": str(target), "kind": "file"}


def unpack_folder(header: dict, data: bytes, out: Path) -> dict:
    """Unpack a decrypted folder into out, never over an existing one."""
    top = out / header["name"]
    if top.exists():
        raise CryptError(f"{top} already exists; choose another output folder")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        z.extractall(out)
    return {"decrypted": str(top), "kind": "folder"}


class atomic_writer:  # noqa: N801 - used like open()
    """Write to a temp file in the same folder and rename on success only."""

    def __init__(self, target: Path):
        self.target = target

    def __enter__(self):
        fd, self.tmp = tempfile.mkstemp(dir=self.target.parent, prefix=".part-")
        self.f = os.fdopen(fd, "wb")
        return self.f

    def __exit__(self, exc_type, exc, tb):
        self.f.close()
        if exc_type:
            os.unlink(self.tmp)
        else:
            os.replace(self.tmp, self.target)


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("action", choices=["encrypt", "decrypt"])
    ap.add_argument("path")
    ap.add_argument("--out", help=f"output path (default: <path>{SUFFIX} / the original name beside it)")
    ap.add_argument("--password", help="the password (prefer --password-env)")
    ap.add_argument("--password-env", help="name of an environment variable holding the password")
    ap.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    password = os.environ.get(args.password_env, "") if args.password_env else (args.password or "")
    src = Path(args.path).expanduser()
    try:
        if not password:
            raise CryptError("a password is required (--password or --password-env)")
        if not src.exists():
            raise CryptError(f"not found: {src}")
        if args.action == "encrypt":
            out = Path(args.out) if args.out else src.with_name(src.name + SUFFIX)
            if out.exists():
                raise CryptError(f"{out} already exists; choose another --out")
            result = encrypt(src, out, password)
        else:
            result = decrypt(src, Path(args.out) if args.out else None, password)
    except (CryptError, OSError, zipfile.BadZipFile, ValueError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps({"ok": True, **result, "original_kept": True}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
