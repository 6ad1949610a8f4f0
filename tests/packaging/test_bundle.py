"""The PyInstaller bundle, built the way `make test` builds it (one folder), does what a user needs."""

import fcntl
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]  # the build alone takes minutes on 2 cores
_spec = importlib.util.spec_from_file_location(
    "package", Path(__file__).resolve().parents[2] / "build_scripts" / "package.py")
package = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(package)
_sfx_spec = importlib.util.spec_from_file_location(
    "sfx", Path(__file__).resolve().parents[2] / "build_scripts" / "sfx.py")
sfx = importlib.util.module_from_spec(_sfx_spec)
_sfx_spec.loader.exec_module(sfx)


@pytest.fixture(scope="module")
def bundle():
    """Build the UI and the one-folder bundle into dist/onedir/ (PyInstaller's cache makes rebuilds quicker).

    A lock file keeps two test runs in this checkout from rebuilding the folder under each other's feet.
    """
    lock_path = package.ROOT / "build" / "onedir.lock"
    lock_path.parent.mkdir(exist_ok=True)
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        package.build(onedir=True)
        path = package.bundle_path(onedir=True)
        assert path.is_file(), f"PyInstaller produced no {path}"
        yield path


def test_bundle_serves_answers_lists_skills_writes_docx_and_runs_python(bundle):
    results = package.smoke(bundle)  # raises SmokeFailed with the bundle's answer when a step goes wrong
    assert results["skills"] >= 100, results
    assert results["docx_bytes"] > 1000, results
    assert results["python_chart_bytes"] > 1000, results


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed")
def test_bundle_opens_its_window_with_the_ui_and_quits_cleanly(bundle):
    with package.xvfb() as screen:
        results = package.desktop(bundle, screen["DISPLAY"])
    assert results["quit_exit_code"] == 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the self-unpacking single file is Linux's")
def test_linux_single_file_unpacks_once_then_starts_from_the_cache(bundle, tmp_path, monkeypatch):
    target = tmp_path / "xiaodazi-linux"
    info = sfx.build(bundle.parent, target)
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    old = cache / "xiaodazi" / "0ld-version" / "xiaodazi"  # what an earlier version left behind
    old.mkdir(parents=True)
    (old / "xiaodazi").write_text("#!/bin/sh\n")
    (old / "xiaodazi").chmod(0o755)

    first = subprocess.run([str(target), "--version"], capture_output=True, text=True, timeout=600)
    assert (first.returncode, first.stdout.strip()) == (0, "xiaodazi 0.1.0"), first.stderr
    assert "unpacking" in first.stderr
    assert [p.name for p in (cache / "xiaodazi").iterdir()] == [info["build_id"]]  # the old version is gone
    again = subprocess.run([str(target), "--version"], capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "unpacking" not in again.stderr  # later starts run from the cache

    results = package.smoke(target)  # the same user-visible checks as the folder form, through the single file
    assert results["skills"] >= 100 and results["docx_bytes"] > 1000, results
