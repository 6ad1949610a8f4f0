"""The media-group skills: each catalogue 'offline test' run against the skill's own script on generated fixtures."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import json
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from tests.skills_library.fd_helpers import SKILLS, run_script, skill_text
from tests.skills_library.fixtures_media import FFMPEG, noise_png, photo, sine_wav, srt, video_clip
from tests.support.scripted_llm import text, tool_call
from tests.tools.fixtures.agent import stream_answering

MEDIA_SKILLS = ["image-resize", "image-convert", "image-compress", "image-metadata", "photo-organizer", "image-watermark",
                "image-stitch", "qr-code", "image-ocr", "audio-convert", "video-edit", "speech-to-text", "text-to-speech",
                "subtitle-tools", "image-generate"]
needs_ffmpeg = pytest.mark.skipif(FFMPEG is None or shutil.which("ffprobe") is None, reason="ffmpeg is not installed (make system-deps)")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", MEDIA_SKILLS)
def test_media_skill_body_runs_its_script_and_has_examples(name):
    front, body = skill_text(name)
    assert front["metadata"]["group"] == "media"
    scripts = [p.name for p in (SKILLS / name / "scripts").glob("*.py")]
    assert scripts and any(f'script="{s}"' in body for s in scripts), "the body must say how to run its script"
    assert "run_skill_script" in front["allowed-tools"].split()
    assert all(f"`{t}" in body or f"{t}(" in body for t in front["allowed-tools"].split()), "every listed tool is used in the body"
    assert "中文" in body and "English" in body and 40 <= len(body.splitlines()) <= 130


def test_resize_gives_exact_sizes_and_keeps_originals(tmp_path):
    [photo(tmp_path / "横图.jpg", (640, 360)), photo(tmp_path / "tall.jpg", (300, 700))]
    Image.new("RGBA", (200, 120), (255, 0, 0, 128)).save(tmp_path / "logo.png")
    before = {p.name: digest(p) for p in tmp_path.iterdir()}
    for mode in ("fill", "pad"):
        out = run_script("image-resize", "resize.py", tmp_path, "--size", "400x400", "--mode", mode, "--out-dir", tmp_path / mode, "--json")
        assert out["count"] == 3
        for row in out["files"]:
            assert Image.open(row["out"]).size == (400, 400)
    assert {p.name: digest(p) for p in tmp_path.iterdir() if p.is_file()} == before


def test_resize_ratio_crops_the_largest_area_and_dry_run_writes_nothing(tmp_path):
    src = photo(tmp_path / "a.jpg", (1200, 800))
    out = run_script("image-resize", "resize.py", src, "--ratio", "1:1", "--dry-run", "--json")
    assert out["files"][0]["after"] == [800, 800] and not Path(out["files"][0]["out"]).exists()


def test_convert_png_and_webp_to_jpg_that_opens_and_ico_with_several_sizes(tmp_path):
    rgba = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    rgba.paste((200, 0, 0, 255), (16, 16, 48, 48))
    rgba.save(tmp_path / "icon.png")
    Image.new("RGB", (50, 40), "green").save(tmp_path / "pic.webp")
    out = run_script("image-convert", "convert.py", tmp_path / "icon.png", tmp_path / "pic.webp", "--to", "jpg",
                     "--out-dir", tmp_path / "jpg", "--json")
    jpgs = [Image.open(r["out"]) for r in out["files"]]
    assert [j.format for j in jpgs] == ["JPEG", "JPEG"] and jpgs[1].size == (50, 40)
    assert jpgs[0].getpixel((2, 2)) > (240, 240, 240)  # transparent corner flattened onto white, not black
    ico = run_script("image-convert", "convert.py", tmp_path / "icon.png", "--to", "ico", "--out-dir", tmp_path / "ico", "--json")
    assert {(16, 16), (32, 32), (64, 64)} <= set(Image.open(ico["files"][0]["out"]).info["sizes"])


def test_convert_refuses_heic_without_pillow_heif_with_an_install_hint(tmp_path):
    if importlib.util.find_spec("pillow_heif"):
        pytest.skip("pillow-heif is installed here")
    (tmp_path / "IMG_0001.HEIC").write_bytes(b"\x00\x00\x00\x18ftypheic")
    out = run_script("image-convert", "convert.py", tmp_path / "IMG_0001.HEIC", "--to", "jpg", "--json", ok=False)
    assert "pillow-heif" in out["files"][0]["error"]


def test_compress_2mb_picture_under_target_with_same_aspect(tmp_path):
    src = noise_png(tmp_path / "big.png")
    assert src.stat().st_size > 2_000_000
    out = run_script("image-compress", "compress.py", src, "--target-kb", "200", "--json")
    result = Path(out["out"])
    assert result.stat().st_size <= 200 * 1024 and src.exists()
    w, h = Image.open(result).size
    assert abs(w / h - 900 / 800) < 0.01


def test_metadata_reads_date_and_gps_and_stripped_copy_has_none(tmp_path):
    src = photo(tmp_path / "旅行.jpg", taken="2023:07:14 09:30:00", gps=(39.9042, 116.4074))
    info = run_script("image-metadata", "exif.py", "show", src, "--json")["files"][0]
    assert info["taken"] == "2023:07:14 09:30:00" and info["make"] == "Canon"
    assert info["gps"]["lat"] == pytest.approx(39.9042, abs=1e-3) and info["gps"]["lon"] == pytest.approx(116.4074, abs=1e-3)
    clean = run_script("image-metadata", "exif.py", "strip", src, "--json")["files"][0]["out"]
    shown = run_script("image-metadata", "exif.py", "show", clean, "--json")["files"][0]
    assert shown["gps"] is None and "taken" not in shown and not shown["has_exif"]
    no_gps = run_script("image-metadata", "exif.py", "strip", src, "--only-gps", "--suffix=_nogps", "--json")["files"][0]["out"]
    kept = run_script("image-metadata", "exif.py", "show", no_gps, "--json")["files"][0]
    assert kept["gps"] is None and kept["taken"] == "2023:07:14 09:30:00"
    assert run_script("image-metadata", "exif.py", "show", src, "--json")["files"][0]["gps"]  # original untouched


def test_photo_organizer_files_by_exif_date_flags_similar_and_blurry_and_undoes(tmp_path):
    photo(tmp_path / "a.jpg", taken="2021:03:05 10:00:00")
    photo(tmp_path / "a_copy.jpg", taken="2021:03:05 10:00:02", colour="steelblue")  # near-duplicate burst shot
    photo(tmp_path / "b.jpg", (300, 200), colour="orange", taken="2023:12:31 23:59:00")
    Image.new("RGB", (200, 200), "grey").save(tmp_path / "flat.png")  # no EXIF, no detail: mtime + blurry
    plan = run_script("photo-organizer", "photos.py", "plan", tmp_path, "--out", tmp_path / "plan.json", "--json")
    dest = {Path(m["src"]).name: Path(m["dest"]).relative_to(tmp_path).parent.as_posix() for m in plan["moves"]}
    assert dest["a.jpg"] == dest["a_copy.jpg"] == "2021/03" and dest["b.jpg"] == "2023/12"
    assert plan["dates_from"] == {"exif": 3, "mtime": 1}
    assert any({"a.jpg", "a_copy.jpg"} <= {Path(f).name for f in g} for g in plan["similar"])
    assert [Path(b["file"]).name for b in plan["blurry"]] == ["flat.png"]
    assert (tmp_path / "a.jpg").exists()  # planning moved nothing
    done = run_script("photo-organizer", "photos.py", "apply", tmp_path / "plan.json", "--json")
    assert done["moved"] == 4 and (tmp_path / "2023" / "12" / "b.jpg").exists()
    run_script("photo-organizer", "photos.py", "undo", done["undo_log"], "--json")
    assert sorted(p.name for p in tmp_path.glob("*.jpg")) == ["a.jpg", "a_copy.jpg", "b.jpg"]


def test_watermark_changes_pixels_only_inside_its_box(tmp_path):
    src = tmp_path / "商品.png"
    Image.new("RGB", (600, 400), (30, 90, 160)).save(src)
    out = run_script("image-watermark", "watermark.py", src, "--text", "小搭子 © 2026", "--position", "bottom-right",
                     "--opacity", "0.6", "--json")["files"][0]
    x0, y0, x1, y1 = out["boxes"][0]
    assert x1 <= 600 - 19 and y1 <= 400 - 19 and x0 > 300  # bottom-right, inside the margin
    diff = ImageChops.difference(Image.open(src).convert("RGB"), Image.open(out["out"]).convert("RGB")).getbbox()
    assert diff is not None and x0 <= diff[0] and y0 <= diff[1] and diff[2] <= x1 and diff[3] <= y1


def test_tiled_watermark_and_border_grow_the_picture(tmp_path):
    src = photo(tmp_path / "p.jpg", (300, 200))
    out = run_script("image-watermark", "watermark.py", src, "--text", "机密", "--tile", "--border", "10", "--json")["files"][0]
    assert out["size"] == [320, 220]


def test_stitch_vertical_height_is_the_sum_and_grid_is_square(tmp_path):
    paths = [photo(tmp_path / f"{i}.jpg", (200, h)) for i, h in enumerate((100, 150, 250))]
    out = run_script("image-stitch", "stitch.py", *paths, "--out", tmp_path / "long.png", "--json")
    assert (out["width"], out["height"]) == (200, 500) == Image.open(tmp_path / "long.png").size
    row = run_script("image-stitch", "stitch.py", *paths, "--layout", "horizontal", "--height", "100", "--out", tmp_path / "row.png", "--json")
    assert row["height"] == 100
    grid = run_script("image-stitch", "stitch.py", *paths, paths[0], "--layout", "grid", "--cell", "100", "--out", tmp_path / "g.png", "--json")
    assert (grid["width"], grid["height"]) == (200, 200)


@pytest.mark.skipif(not (importlib.util.find_spec("qrcode") and importlib.util.find_spec("zxingcpp")), reason="qrcode/zxing-cpp not installed")
@pytest.mark.parametrize("kind", [["--text", "https://example.com/报名?id=42"], ["--wifi", "家里;WiFi", "--password", "p@ss:1"]])
def test_qr_generate_then_decode_round_trip(tmp_path, kind):
    made = run_script("qr-code", "qr.py", "make", *kind, "--out", tmp_path / "qr.png", "--json")
    read = run_script("qr-code", "qr.py", "read", tmp_path / "qr.png", "--json")
    assert read["codes"] == [made["payload"]]
    if kind[0] == "--wifi":
        assert made["payload"] == "WIFI:T:WPA;S:家里\\;WiFi;P:p@ss\\:1;;"


@pytest.mark.skipif(not (importlib.util.find_spec("qrcode") and importlib.util.find_spec("zxingcpp")), reason="qrcode/zxing-cpp not installed")
def test_qr_with_logo_still_decodes(tmp_path):
    Image.new("RGB", (80, 80), "red").save(tmp_path / "logo.png")
    run_script("qr-code", "qr.py", "make", "--vcard", "张三", "--phone", "13800000000", "--logo", tmp_path / "logo.png",
               "--out", tmp_path / "card.png", "--json")
    codes = run_script("qr-code", "qr.py", "read", tmp_path / "card.png", "--json")["codes"]
    assert "FN:张三" in codes[0] and "TEL;TYPE=CELL:13800000000" in codes[0]


def test_ocr_without_an_engine_says_how_to_get_one_or_reads_rendered_text(tmp_path):
    img = Image.new("RGB", (600, 120), "white")
    from PIL import ImageDraw, ImageFont

    ImageDraw.Draw(img).text((20, 30), "INVOICE 2024", fill="black", font=ImageFont.load_default(size=48))
    img.save(tmp_path / "scan.png")
    proc = subprocess.run([sys.executable, str(SKILLS / "image-ocr" / "scripts" / "ocr.py"), "--check"],
                          capture_output=True, text=True, timeout=60)
    check = json.loads(proc.stdout)
    if not check["engines"]:
        assert "rapidocr-onnxruntime" in check["error"] and "tesseract" in check["error"].lower()
        pytest.skip("no OCR engine here: recognition itself is not tested")
    out = run_script("image-ocr", "ocr.py", tmp_path / "scan.png", "--json")
    assert "INVOICE" in out["files"][0]["text"].upper()


def test_audio_command_building_without_running_ffmpeg(tmp_path):
    wav = sine_wav(tmp_path / "录音.wav", 0.2)
    fast = run_script("audio-convert", "audio.py", "speed", wav, "--factor", "3", "--out", tmp_path / "f.mp3", "--dry-run")
    assert "atempo=2,atempo=1.5" in fast["command"] and "libmp3lame" in fast["command"]
    cut = run_script("audio-convert", "audio.py", "trim", wav, "--start", "1:05", "--end", "1:30.5", "--out", tmp_path / "c.m4a", "--dry-run")
    cmd = cut["command"]
    assert cmd[cmd.index("-ss") + 1] == "65.000" and cmd[cmd.index("-t") + 1] == "25.500"
    same = run_script("audio-convert", "audio.py", "convert", wav, "--out", wav, ok=False)
    assert "replace an input" in same["error"]


@needs_ffmpeg
def test_audio_sine_wav_to_mp3_keeps_duration(tmp_path):
    wav = sine_wav(tmp_path / "tone.wav", 2.0)
    out = run_script("audio-convert", "audio.py", "convert", wav, "--out", tmp_path / "tone.mp3")
    assert out["result"]["codec"] == "mp3" and out["result"]["duration"] == pytest.approx(2.0, abs=0.1)
    joined = run_script("audio-convert", "audio.py", "join", wav, tmp_path / "tone.mp3", "--out", tmp_path / "both.wav")
    assert joined["result"]["duration"] == pytest.approx(4.0, abs=0.15)


@needs_ffmpeg
def test_video_trim_has_requested_duration_and_gif_has_expected_frames(tmp_path):
    clip = video_clip(tmp_path / "会议.mp4", seconds=3, fps=10)
    trimmed = run_script("video-edit", "video.py", "trim", clip, "--start", "0.5", "--duration", "1.5", "--out", tmp_path / "cut.mp4")
    assert trimmed["result"]["duration"] == pytest.approx(1.5, abs=0.1)
    run_script("video-edit", "video.py", "gif", clip, "--fps", "5", "--duration", "2", "--width", "80", "--out", tmp_path / "a.gif")
    gif = Image.open(tmp_path / "a.gif")
    assert gif.n_frames == 10 and gif.width == 80
    assert clip.stat().st_size > 0 and (tmp_path / "cut.mp4").exists()


def test_video_rotate_and_compress_commands(tmp_path):
    clip = tmp_path / "v.mov"
    clip.write_bytes(b"not really a video")
    rot = run_script("video-edit", "video.py", "rotate", clip, "--rotate", "270", "--out", tmp_path / "r.mp4", "--dry-run")
    assert "transpose=2" in rot["command"]
    small = run_script("video-edit", "video.py", "compress", clip, "--crf", "30", "--height", "720", "--out", tmp_path / "s.mp4", "--dry-run")
    assert "scale=-2:720" in small["command"] and small["command"][small["command"].index("-crf") + 1] == "30"


def test_speech_chunks_cover_the_recording_and_srt_merges_overlaps(tmp_path):
    plan = run_script("speech-to-text", "transcribe.py", "chunks", "--duration", "1300", "--length", "600", "--overlap", "5")["chunks"]
    assert [(c["start"], c["end"]) for c in plan] == [(0, 600), (595, 1195), (1190, 1300)]
    parts = [{"offset": 0, "segments": [{"start": 0.0, "end": 2.5, "text": "大家好"}, {"start": 597.0, "end": 599.5, "text": "下一个议题"}]},
             {"offset": 595, "segments": [{"start": 2.0, "end": 4.5, "text": "下一个议题"}, {"start": 6.0, "end": 8.0, "text": "谢谢"}]}]
    (tmp_path / "parts.json").write_text(json.dumps(parts, ensure_ascii=False), encoding="utf-8")
    out = run_script("speech-to-text", "transcribe.py", "write", tmp_path / "parts.json", "--out", tmp_path / "meeting")
    assert out["segments"] == 3
    text = (tmp_path / "meeting.srt").read_text(encoding="utf-8")
    assert "3\n00:10:01,000 --> 00:10:03,000\n谢谢" in text and text.count("下一个议题") == 1


def test_transcription_without_faster_whisper_says_how_to_install(tmp_path):
    if importlib.util.find_spec("faster_whisper"):
        pytest.skip("faster-whisper is installed: a real model run is out of this suite's budget")
    out = run_script("speech-to-text", "transcribe.py", "transcribe", sine_wav(tmp_path / "a.wav", 0.2), "--out", tmp_path / "a", ok=False)
    assert "pip install faster-whisper" in out["error"]


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (make system-deps)")
def test_text_to_speech_writes_a_wav_of_plausible_length(tmp_path):
    out = run_script("text-to-speech", "tts.py", "--text", "你好，今天下午三点开会。Please be on time.", "--out", tmp_path / "说.wav")
    assert out["engine"] == "espeak-ng" and out["chinese"] and "cmn" in out["command"]
    assert out["bytes"] > 10_000 and 1.5 < out["seconds"] < 15


def test_subtitle_shift_moves_every_cue_and_vtt_validates(tmp_path):
    src = srt(tmp_path / "电影.srt", encoding="gb18030")
    out = run_script("subtitle-tools", "subs.py", "shift", src, "--seconds", "2", "--out", tmp_path / "shifted.srt")
    assert out["cues"] == 3 and out["problems"] == []
    text = (tmp_path / "shifted.srt").read_text(encoding="utf-8")
    assert ["00:00:03,000 --> 00:00:04,500", "00:00:05,000 --> 00:00:06,200", "00:01:07,250 --> 00:01:09,000"] == \
        [line for line in text.splitlines() if "-->" in line]
    run_script("subtitle-tools", "subs.py", "convert", tmp_path / "shifted.srt", "--out", tmp_path / "s.vtt")
    vtt = (tmp_path / "s.vtt").read_text(encoding="utf-8").splitlines()
    assert vtt[0] == "WEBVTT" and vtt[1] == "" and vtt[2] == "00:00:03.000 --> 00:00:04.500" and "第二句字幕" in vtt


def test_subtitle_ass_round_trip_and_bilingual_merge(tmp_path):
    zh = srt(tmp_path / "zh.srt")
    en = srt(tmp_path / "en.srt", text="1\n00:00:01,100 --> 00:00:02,400\nHello, welcome\n\n2\n00:00:03,000 --> 00:00:04,000\nSecond line\n")
    run_script("subtitle-tools", "subs.py", "convert", zh, "--out", tmp_path / "zh.ass")
    back = run_script("subtitle-tools", "subs.py", "convert", tmp_path / "zh.ass", "--out", tmp_path / "back.srt")
    assert back["cues"] == 3 and "第二句字幕\n两行文字" in (tmp_path / "back.srt").read_text(encoding="utf-8")
    run_script("subtitle-tools", "subs.py", "merge", zh, en, "--out", tmp_path / "both.srt")
    both = (tmp_path / "both.srt").read_text(encoding="utf-8")
    assert "你好，欢迎收看\nHello, welcome" in both and "最后一句\n\n" in both + "\n"
    burn = run_script("subtitle-tools", "subs.py", "burn", tmp_path / "v.mp4", zh, "--out", tmp_path / "o.mp4", "--dry-run")
    assert any(part.startswith("subtitles=") for part in burn["command"])


class _ImageApi(BaseHTTPRequestHandler):
    """A loopback stand-in for the image APIs: records requests, answers like OpenAI or DashScope."""

    requests: list = []

    def log_message(self, *args):
        pass

    def _send(self, body: bytes, kind="application/json"):
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.requests.append({"path": self.path, "auth": self.headers["Authorization"], "async": self.headers.get("X-DashScope-Async"), "body": body})
        answer = ({"output": {"task_id": "t1", "task_status": "PENDING"}} if "image-synthesis" in self.path
                  else {"data": [{"b64_json": base64.b64encode(_png()).decode()}]})
        self._send(json.dumps(answer).encode())

    def do_GET(self):
        if self.path.startswith("/api/v1/tasks/"):
            port = self.server.server_address[1]
            self._send(json.dumps({"output": {"task_status": "SUCCEEDED", "results": [{"url": f"http://127.0.0.1:{port}/img.png"}]}}).encode())
        else:
            self._send(_png(), "image/png")


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (32, 32), "orange").save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def image_api():
    _ImageApi.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ImageApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _ImageApi.requests
    server.shutdown()


@pytest.mark.parametrize("provider", ["openai", "dashscope"])
def test_image_generate_sends_the_payload_and_saves_the_png(tmp_path, monkeypatch, image_api, provider):
    base, seen = image_api
    monkeypatch.setenv("IMAGE_GEN_API_KEY", "sk-test-123")
    url = base + ("/v1" if provider == "openai" else "")
    out = run_script("image-generate", "generate.py", "一只戴眼镜的橘猫，水彩风格", "--provider", provider, "--base-url", url,
                     "--size", "1024x768", "--poll", "0.05", "--out", tmp_path / "cat.png", "--json")
    assert Image.open(out["files"][0]).size == (32, 32) and seen[0]["auth"] == "Bearer sk-test-123"
    body = seen[0]["body"]
    if provider == "openai":
        assert seen[0]["path"] == "/v1/images/generations" and body["prompt"].startswith("一只") and body["size"] == "1024x768"
    else:
        assert seen[0]["async"] == "enable" and body["input"]["prompt"].startswith("一只") and body["parameters"]["size"] == "1024*768"


def test_image_generate_without_a_key_says_which_variable(tmp_path, monkeypatch):
    monkeypatch.delenv("IMAGE_GEN_API_KEY", raising=False)
    out = run_script("image-generate", "generate.py", "a cat", "--out", tmp_path / "c.png", ok=False)
    assert "IMAGE_GEN_API_KEY" in out["error"] and not (tmp_path / "c.png").exists()


@pytest.mark.slow  # starts a real `xiaodazi serve` with the scripted model
@pytest.mark.parametrize("decision", ["allow_once", "deny"])
def test_compress_through_the_agent_loop_runs_only_after_approval(live, llm, decision):
    photos = live.settings.workspace / "报名"
    photos.mkdir(parents=True)
    noise_png(photos / "证件照.png", (600, 500))
    args = ["报名/证件照.png", "--target-kb", "100", "--format", "jpg", "--json"]
    llm.add(tool_call("run_skill_script", {"skill": "image-compress", "script": "compress.py", "args": args}, id="c1"),
            text("好了。"))
    events, approvals = stream_answering(live, "报名照片要小于100KB，帮我压一下", decision)
    assert len(approvals) == 1 and "compress.py" in str(approvals[0])
    result = photos / "证件照-100kb.jpg"
    if decision == "deny":
        assert not result.exists()
    else:
        assert 0 < result.stat().st_size <= 100 * 1024
        assert '"bytes_after"' in next(d["output"] for n, d in events if n == "tool_result")
