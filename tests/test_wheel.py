"""The built wheel alone is enough: after a plain `pip install`, `leadwell manifest` finds its templates.

The wheel is built offline from a copy of the source tree (so no stale build/
folder leaks in), installed into a bare folder, and run from an empty folder
with only that install on PYTHONPATH, so nothing can be read from the checkout.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from tests.support.processes import leadwell_env

REPO = Path(__file__).resolve().parents[1]
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".ruff_cache", "*.db*"
)


def pip(*args: str, cwd: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "pip", *args], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"pip {args[0]} failed:\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built with `pip wheel --no-build-isolation` and installed with `pip install --target`."""
    work = tmp_path_factory.mktemp("wheel")
    shutil.copytree(REPO, work / "src", ignore=NOT_SOURCE)
    pip("wheel", "--no-deps", "--no-build-isolation", "--no-index", "--quiet", "-w", str(work / "dist"), ".",
        cwd=work / "src")  # fmt: skip
    (wheel,) = (work / "dist").glob("leadwell-*.whl")
    pip("install", "--no-deps", "--no-index", "--quiet", "--target", str(work / "site"), str(wheel), cwd=work)
    return work / "site"


def run_installed(site: Path, cwd: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """`python ARGS` in `cwd` with only the installed wheel (and this Python's dependencies) importable."""
    result = subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=60,
        env=leadwell_env(PYTHONPATH=str(site), **settings),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result


def test_the_installed_wheel_is_what_runs_not_the_checkout(installed: Path, tmp_path: Path) -> None:
    where = "import bot, manifest; print(bot.__file__); print(manifest.__file__)"
    result = run_installed(installed, tmp_path, "-c", where)
    for module_file in result.stdout.split():
        assert Path(module_file).is_relative_to(installed)
        assert not Path(module_file).is_relative_to(REPO)


def test_manifest_slack_from_the_wheel_prints_the_filled_in_manifest(installed: Path, tmp_path: Path) -> None:
    result = run_installed(installed, tmp_path, "-m", "bot.cli", "manifest", "slack", "--url", "https://example.org")
    printed = yaml.safe_load(result.stdout)
    assert printed["settings"]["event_subscriptions"]["request_url"] == "https://example.org/slack/events"
    assert printed["display_information"]["name"]


def test_manifest_teams_from_the_wheel_packs_the_manifest_and_both_icons(installed: Path, tmp_path: Path) -> None:
    run_installed(
        installed, tmp_path, "-m", "bot.cli", "manifest", "teams", "--out", "teams.zip",
        LEADWELL_PUBLIC_URL="https://bot.example.org",
    )  # fmt: skip
    with zipfile.ZipFile(tmp_path / "teams.zip") as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        assert json.loads(package.read("manifest.json"))["validDomains"] == ["bot.example.org"]
        assert package.read("color.png").startswith(b"\x89PNG")


def test_the_installed_wheel_carries_the_safeguarding_model(installed: Path, tmp_path: Path) -> None:
    # without its model file the check would still run, on the phrases alone, and miss more: the file must ship
    code = (
        "from knowledge.signposts import load_signposts; d = load_signposts().detector; "
        "print(d.risk_chance(d.wording.words('been looking up how long it takes for someone to be found')) > 0)"
    )
    assert run_installed(installed, tmp_path, "-c", code).stdout.strip() == "True"
