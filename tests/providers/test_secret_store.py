"""The encrypted key file: only this user can read it, and changes from elsewhere are seen."""

import os

from xiaodazi.providers.secrets import EncryptedFileSecrets


def test_key_written_by_another_instance_is_read_back(tmp_path):
    mine, other = EncryptedFileSecrets(tmp_path), EncryptedFileSecrets(tmp_path)
    assert mine.get("provider:qwen") is None
    other.set("provider:qwen", "sk-one")
    assert mine.get("provider:qwen") == "sk-one"
    st = (tmp_path / "secrets.enc").stat()
    other.set("provider:qwen", "sk-two")
    os.utime(tmp_path / "secrets.enc", ns=(st.st_atime_ns, st.st_mtime_ns + 1_000))  # a change, whatever the clock
    assert mine.get("provider:qwen") == "sk-two"
    other.delete("provider:qwen")
    assert mine.get("provider:qwen") is None


def test_file_is_user_only_and_holds_no_plain_key(tmp_path):
    store = EncryptedFileSecrets(tmp_path)
    store.set("provider:deepseek", "sk-plain-text-must-not-appear")
    path = tmp_path / "secrets.enc"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert b"sk-plain-text-must-not-appear" not in path.read_bytes()
