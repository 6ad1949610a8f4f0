"""The files-group skills: each catalogue 'offline test' run against the skill's own script on fixtures."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from tests.skills_library.fd_helpers import run_script, skill_text
from tests.support.scripted_llm import text, tool_call
from tests.tools.fixtures.agent import stream_answering

FILES_SKILLS = ["file-organizer", "batch-rename", "duplicate-finder", "file-finder", "folder-compare", "folder-backup",
                "archive-tool", "file-encrypt", "encoding-fixer", "checksum-verify", "bulk-find-replace"]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", FILES_SKILLS)
def test_files_skill_body_names_its_script_and_examples(name):
    front, body = skill_text(name)
    assert front["metadata"]["group"] == "files"
    assert "run_skill_script" in front["allowed-tools"].split()
    scripts = [p.name for p in (Path(__file__).parents[2] / "skills" / name / "scripts").glob("*.py")]
    assert any(f'script="{s}"' in body for s in scripts), "body must tell the model how to run its script"
    assert "中文" in body and "English" in body


def test_organizer_plan_groups_by_type_and_apply_loses_nothing(tmp_path):
    names = ["a.jpg", "b.PNG", "报告.docx", "c.pdf", "d.xlsx", "e.zip", "f.mp3", "g.unknownext", "h.pptx"]
    for n in names:
        (tmp_path / n).write_text(n, encoding="utf-8")
    (tmp_path / "half.crdownload").write_text("x")
    plan = run_script("file-organizer", "organize.py", "plan", tmp_path, "--out", tmp_path / ".plan.json")
    dest = {m["src"]: m["dest"].split("/")[0] for m in plan["moves"]}
    assert dest["a.jpg"] == dest["b.PNG"] == "图片"
    assert dest["报告.docx"] == dest["c.pdf"] == "文档"
    assert dest["g.unknownext"] == "其他" and "half.crdownload" not in dest
    assert list(tmp_path.glob("图片")) == []  # planning moved nothing
    result = run_script("file-organizer", "organize.py", "apply", tmp_path / ".plan.json")
    assert result["moved"] == len(names)
    moved = {p.name: p.parent.name for p in tmp_path.rglob("*") if p.is_file() and p.parent != tmp_path}
    assert sorted(moved) == sorted(names) and all(moved[n] == dest[n] for n in names)
    run_script("file-organizer", "organize.py", "undo", result["undo_log"])
    assert all((tmp_path / n).read_text(encoding="utf-8") == n for n in names)


def test_organizer_applies_a_hand_written_project_plan_and_refuses_escapes(tmp_path):
    for n in ("报价_华为.xlsx", "合同_华为.docx", "报价_小米.xlsx"):
        (tmp_path / n).write_text(n, encoding="utf-8")
    moves = [{"src": n, "dest": f"{n.split('_')[1].split('.')[0]}/{n}"} for n in ("报价_华为.xlsx", "合同_华为.docx", "报价_小米.xlsx")]
    plan = tmp_path / ".plan.json"
    plan.write_text(json.dumps({"root": str(tmp_path), "moves": moves}, ensure_ascii=False), encoding="utf-8")
    assert run_script("file-organizer", "organize.py", "apply", plan)["moved"] == 3
    assert sorted(p.name for p in (tmp_path / "华为").iterdir()) == ["合同_华为.docx", "报价_华为.xlsx"]
    (tmp_path / "x.txt").write_text("x")
    plan.write_text(json.dumps({"root": str(tmp_path), "moves": [{"src": "x.txt", "dest": "../x.txt"}]}), encoding="utf-8")
    out = run_script("file-organizer", "organize.py", "apply", plan, ok=False)
    assert "leaves the folder" in out["error"] and (tmp_path / "x.txt").exists()


def test_organizer_plan_then_apply_through_the_agent_loop(live, llm):
    folder = live.settings.workspace / "下载"
    folder.mkdir(parents=True)
    for n in ("照片.jpg", "合同.pdf", "setup.exe"):
        (folder / n).write_text(n, encoding="utf-8")
    script = {"skill": "file-organizer", "script": "organize.py"}
    llm.add(tool_call("run_skill_script", {**script, "args": ["plan", "下载", "--out", "下载/.plan.json"]}, id="p1"),
            tool_call("run_skill_script", {**script, "args": ["apply", "下载/.plan.json"]}, id="a1"),
            text("整理好了：3 个文件已归类。"))
    events, approvals = stream_answering(live, "把下载文件夹按类型整理一下", "allow_once")
    assert len(approvals) == 2 and all("organize.py" in str(a) for a in approvals)
    plan, applied = [d["output"] for n, d in events if n == "tool_result"]
    assert '"图片": 1' in plan and '"moved": 3' in applied
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.suffix != ".json") == [
        "图片/照片.jpg", "安装包/setup.exe", "文档/合同.pdf"]


def test_batch_rename_preview_then_apply_matches_pattern_without_collisions(tmp_path):
    for i in range(10):
        (tmp_path / f"IMG_{i:04d}.jpg").write_text(str(i))
    plan = run_script("batch-rename", "rename.py", "preview", tmp_path, "--template", "旅行_{n:02d}{ext}",
                      "--out", tmp_path / ".rename.json")
    assert plan["count"] == 10 and plan["collisions"] == []
    assert plan["renames"][0] == {"old": "IMG_0000.jpg", "new": "旅行_01.jpg"}
    assert (tmp_path / "IMG_0000.jpg").exists()  # preview changed nothing
    run_script("batch-rename", "rename.py", "apply", tmp_path / ".rename.json")
    files = sorted(p.name for p in tmp_path.glob("*.jpg"))
    assert files == [f"旅行_{i:02d}.jpg" for i in range(1, 11)]
    assert (tmp_path / "旅行_03.jpg").read_text() == "2"


def test_batch_rename_reports_collisions_and_apply_refuses(tmp_path):
    (tmp_path / "a-draft.txt").write_text("1")
    (tmp_path / "a.txt").write_text("2")
    plan = run_script("batch-rename", "rename.py", "preview", tmp_path, "--find=-draft", "--out", tmp_path / ".p.json")
    assert plan["ok"] is False and plan["collisions"][0]["new"] == "a.txt"
    run_script("batch-rename", "rename.py", "apply", tmp_path / ".p.json", ok=False)
    assert (tmp_path / "a.txt").read_text() == "2"


def test_duplicate_finder_reports_exactly_one_group_for_three_copies(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    for p in (tmp_path / "合同.pdf", tmp_path / "x" / "合同(1).pdf", tmp_path / "y" / "copy.pdf"):
        p.write_bytes(b"%PDF same bytes" * 100)
    (tmp_path / "other.pdf").write_bytes(b"%PDF same bytez" * 100)  # same size, different content
    (tmp_path / "tiny.txt").write_bytes(b"z")
    report = run_script("duplicate-finder", "find_dupes.py", "scan", tmp_path, "--out", tmp_path / ".d.json")
    assert len(report["groups"]) == 1
    group = report["groups"][0]
    assert len(group["remove"]) == 2 and group["keep"] not in group["remove"]
    run_script("duplicate-finder", "find_dupes.py", "remove", tmp_path / ".d.json", ok=False)  # no --confirm
    assert all(Path(p).exists() for p in group["remove"])
    run_script("duplicate-finder", "find_dupes.py", "remove", tmp_path / ".d.json", "--confirm", "--permanent")
    assert Path(group["keep"]).exists() and not any(Path(p).exists() for p in group["remove"])


def set_mtime(path: Path, when: str) -> None:
    ts = datetime.fromisoformat(when).timestamp()
    os.utime(path, (ts, ts))


def test_file_finder_ranks_the_march_quote_spreadsheet_first(tmp_path):
    files = {"work/quote_acme.xlsx": "2025-03-14", "work/quote_acme_old.xlsx": "2025-06-02",
             "work/quote_acme.docx": "2025-03-10", "misc/notes.txt": "2025-03-12", "misc/budget.xlsx": "2025-03-01"}
    for rel, when in files.items():
        p = tmp_path / rel
        p.parent.mkdir(exist_ok=True)
        p.write_bytes(b"x")
        set_mtime(p, when + "T10:00:00")
    out = run_script("file-finder", "find_file.py", tmp_path, "--name", "quote", "--type", "excel", "--month", "3")
    assert Path(out["results"][0]["path"]) == tmp_path / "work/quote_acme.xlsx"
    assert set(out["results"][0]["matched"]) == {"name", "type", "date"}


def test_folder_compare_lists_added_removed_and_modified_exactly(tmp_path):
    left, right = tmp_path / "v1", tmp_path / "v2"
    for root in (left, right):
        (root / "sub").mkdir(parents=True)
        (root / "same.txt").write_text("same")
        (root / "sub" / "内容.md").write_text("old" if root == left else "new")  # same size, other content
    (left / "gone.txt").write_text("only left")
    (right / "sub" / "new.txt").write_text("only right")
    out = run_script("folder-compare", "compare_dirs.py", left, right)
    assert out["missing_in_right"] == ["gone.txt"]
    assert out["extra_in_right"] == ["sub/new.txt"]
    assert [c["path"] for c in out["changed"]] == ["sub/内容.md"] and out["identical"] == 1
    dry = run_script("folder-compare", "compare_dirs.py", left, right, "--copy-missing")
    assert dry["copy"]["would_copy"] == ["gone.txt"] and not (right / "gone.txt").exists()
    run_script("folder-compare", "compare_dirs.py", left, right, "--copy-missing", "--apply")
    assert (right / "gone.txt").read_text() == "only left" and (right / "sub" / "内容.md").read_text() == "new"


def test_folder_backup_twice_gives_two_snapshots_with_source_hashes(tmp_path):
    src, dest = tmp_path / "论文", tmp_path / "backups"
    (src / "图").mkdir(parents=True)
    (src / "正文.txt").write_text("第一章", encoding="utf-8")
    (src / "图" / "fig.bin").write_bytes(os.urandom(5000))
    first = run_script("folder-backup", "backup.py", "backup", src, dest)
    second = run_script("folder-backup", "backup.py", "backup", src, dest, "--zip")
    assert first["snapshot"] != second["snapshot"]
    assert len(list(dest.iterdir())) == 2
    manifest = json.loads((Path(first["snapshot"]) / "backup-manifest.json").read_text(encoding="utf-8"))
    assert {e["path"]: e["sha256"] for e in manifest["files"]} == {
        "正文.txt": sha(src / "正文.txt"), "图/fig.bin": sha(src / "图" / "fig.bin")}
    assert run_script("folder-backup", "backup.py", "verify", second["snapshot"])["checked"] == 2
    third = run_script("folder-backup", "backup.py", "backup", src, dest, "--keep", "1")
    assert len(third["would_prune"]) == 2 and len(list(dest.iterdir())) == 3  # no --prune: nothing deleted


def test_archive_round_trip_keeps_hashes(tmp_path):
    src = tmp_path / "资料"
    (src / "子目录").mkdir(parents=True)
    (src / "a.bin").write_bytes(os.urandom(3000))
    (src / "子目录" / "说明.txt").write_text("你好", encoding="utf-8")
    for out_name in ("pack.zip", "pack.tar.gz"):
        run_script("archive-tool", "archive.py", "create", tmp_path / out_name, src)
        dest = tmp_path / ("x-" + out_name)
        run_script("archive-tool", "archive.py", "extract", tmp_path / out_name, dest)
        for f in (p for p in src.rglob("*") if p.is_file()):
            assert sha(dest / "资料" / f.relative_to(src)) == sha(f)


def test_archive_repairs_gbk_names_from_windows_zips(tmp_path):
    gbk = tmp_path / "gbk.zip"
    with zipfile.ZipFile(gbk, "w") as z:  # ASCII placeholders of the same byte length, patched to raw GBK below
        z.writestr("XXXX.txt", "hello")
        z.writestr("dir/XXXXXXXX.txt", "world")
    raw = gbk.read_bytes().replace(b"XXXXXXXX", "会议纪要".encode("gbk")).replace(b"XXXX", "报告".encode("gbk"))
    gbk.write_bytes(raw)
    listed = run_script("archive-tool", "archive.py", "list", gbk)
    assert [e["name"] for e in listed["entries"]] == ["报告.txt", "dir/会议纪要.txt"]
    run_script("archive-tool", "archive.py", "extract", gbk, tmp_path / "out")
    assert (tmp_path / "out" / "报告.txt").read_text() == "hello"
    assert (tmp_path / "out" / "dir" / "会议纪要.txt").read_text() == "world"
    run_script("archive-tool", "archive.py", "extract", gbk, tmp_path / "out", ok=False)  # no silent overwrite


def test_archive_refuses_path_traversal(tmp_path):
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("../escape.txt", "x")
    out = run_script("archive-tool", "archive.py", "extract", evil, tmp_path / "out", ok=False)
    assert "unsafe" in out["error"] and not (tmp_path / "escape.txt").exists()


def test_archive_optional_formats_fail_with_a_clear_message(tmp_path):
    import importlib.util

    (tmp_path / "a.txt").write_text("x")
    if not importlib.util.find_spec("py7zr"):
        out = run_script("archive-tool", "archive.py", "create", tmp_path / "a.7z", tmp_path / "a.txt", ok=False)
        assert "py7zr" in out["error"]
    if not importlib.util.find_spec("pyzipper"):
        out = run_script("archive-tool", "archive.py", "create", tmp_path / "p.zip", tmp_path / "a.txt",
                         "--password", "pw", ok=False)
        assert "pyzipper" in out["error"] and not (tmp_path / "p.zip").exists()


def test_encrypt_decrypt_round_trip_and_wrong_password_fails_cleanly(tmp_path):
    secret = tmp_path / "工资.xlsx"
    secret.write_bytes(os.urandom(1_500_000))  # spans two 1 MiB chunks
    enc = run_script("file-encrypt", "crypt.py", "encrypt", secret, "--password", "正确 horse")
    assert secret.exists() and secret.read_bytes() not in Path(enc["encrypted"]).read_bytes()
    (tmp_path / "out").mkdir()
    bad = run_script("file-encrypt", "crypt.py", "decrypt", enc["encrypted"], "--out", tmp_path / "out",
                     "--password", "wrong", ok=False)
    assert "wrong password" in bad["error"] and list((tmp_path / "out").iterdir()) == []
    good = run_script("file-encrypt", "crypt.py", "decrypt", enc["encrypted"], "--out", tmp_path / "out",
                      "--password", "正确 horse")
    assert sha(Path(good["decrypted"])) == sha(secret)


def test_encoding_fixer_turns_gbk_into_identical_utf8_text(tmp_path):
    text = "姓名,城市,备注\r\n张三,北京,今天天气很好\r\n李四,上海,会议推迟到下周三\r\n"
    src = tmp_path / "客户.csv"
    src.write_bytes(text.encode("gbk"))
    detected = run_script("encoding-fixer", "fix_encoding.py", "detect", src)["files"][0]
    assert detected["encoding"] in {"gb18030", "gbk"} and detected["newlines"] == "crlf"
    dry = run_script("encoding-fixer", "fix_encoding.py", "convert", src)
    assert not Path(dry["files"][0]["would_write"]).exists()
    out = run_script("encoding-fixer", "fix_encoding.py", "convert", src, "--apply")["files"][0]
    assert Path(out["written"]).read_bytes().decode("utf-8") == text
    lf = run_script("encoding-fixer", "fix_encoding.py", "convert", src, "--apply", "--newline", "lf", "--bom",
                    "--out-dir", tmp_path / "fixed")["files"][0]
    assert Path(lf["written"]).read_bytes() == b"\xef\xbb\xbf" + text.replace("\r\n", "\n").encode("utf-8")


def test_checksum_known_sha256_and_mismatch_reported(tmp_path):
    f = tmp_path / "download.iso"
    f.write_bytes(b"abc")
    known = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert run_script("checksum-verify", "checksum.py", "hash", f)["files"][0]["sha256"] == known
    assert run_script("checksum-verify", "checksum.py", "verify", f, known.upper())["results"][0]["match"] is True
    bad = run_script("checksum-verify", "checksum.py", "verify", f, "0" * 64, ok=False)
    assert bad["ok"] is False and bad["mismatches"] == [str(f)]
    (tmp_path / "SHA256SUMS").write_text(f"{known}  download.iso\n{'1' * 64} *missing.bin\n")
    listed = run_script("checksum-verify", "checksum.py", "check", tmp_path / "SHA256SUMS", ok=False)
    assert [r["match"] for r in listed["results"]] == [True, False]


def test_bulk_replace_counts_exactly_previews_first_and_keeps_backups(tmp_path):
    contents = {"a.md": "张经理 说：张经理\n", "b.md": "无关\n", "c.txt": "张经理\r\n", "d.md": "张经理好",
                "sub/e.md": "见 张经理、张经理、张经理"}
    for rel, body in contents.items():
        (tmp_path / rel).parent.mkdir(exist_ok=True)
        (tmp_path / rel).write_bytes(body.encode("gbk" if rel == "c.txt" else "utf-8"))
    args = (tmp_path, "--find", "张经理", "--replace", "张总监")
    preview = run_script("bulk-find-replace", "replace.py", "preview", *args)
    assert preview["replacements"] == 7 and preview["files_changed"] == 4
    assert "-张经理好" in preview["diff"] and "+张总监好" in preview["diff"]
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == contents["a.md"]  # preview wrote nothing
    run_script("bulk-find-replace", "replace.py", "apply", *args, "--expect", "6", ok=False)
    done = run_script("bulk-find-replace", "replace.py", "apply", *args, "--expect", "7")
    assert (tmp_path / "sub/e.md").read_text(encoding="utf-8") == "见 张总监、张总监、张总监"
    assert (tmp_path / "c.txt").read_bytes() == "张总监\r\n".encode("gbk")  # encoding and CRLF kept
    backup = Path(done["backup_dir"])
    assert (backup / "a.md").read_text(encoding="utf-8") == contents["a.md"]
    assert len([p for p in backup.rglob("*") if p.is_file()]) == 4


def test_bulk_replace_regex_with_groups(tmp_path):
    (tmp_path / "v.md").write_text("version 1.2 and version 3.4", encoding="utf-8")
    run_script("bulk-find-replace", "replace.py", "apply", tmp_path, "--regex", "--find", r"version (\d)\.(\d)",
               "--replace", r"v\1.\2.0")
    assert (tmp_path / "v.md").read_text(encoding="utf-8") == "v1.2.0 and v3.4.0"
