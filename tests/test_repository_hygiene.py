"""The repository never carries a secret: a fresh clone makes its own sealing secret on first run."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def git(*args: str) -> list[str]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.split()


def test_no_sealing_secret_or_database_is_committed() -> None:
    assert git("ls-files", "*.secret", "*.db", ".env") == []


def test_a_local_secret_file_is_ignored_by_git() -> None:
    assert git("check-ignore", "leadwell.db.secret", ".leadwell.secret") == ["leadwell.db.secret", ".leadwell.secret"]
