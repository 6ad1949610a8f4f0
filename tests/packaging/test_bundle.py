"""The PyInstaller bundle, built the way `make test` builds it (one folder), does what a user needs."""

import fcntl
import importlib.util
import shutil
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]  # the build alone takes minutes on 2 cores
_spec = importlib.util.spec_from_file_location(
    "package", Path(__file__).resolve().parents[2] / "build_scripts" / "package.py")
package = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(package)


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
    with package.Xvfb() as display:
        results = package.desktop(bundle, display)
    assert results["quit_exit_code"] == 0
