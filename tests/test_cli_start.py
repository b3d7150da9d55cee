"""`leadwell` starts quickly because each command loads only what it uses (DESIGN.md, Performance).

These tests read which modules a command imported (`python -X importtime`), not
how long it took: the timings themselves are measured by benchmarks/cli_start.py.
"""

from __future__ import annotations

import subprocess
import sys

from tests.support.processes import leadwell_env

DATABASE_AND_PLATFORMS = ("sqlalchemy", "sqlmodel", "alembic", "aiohttp", "slack_bolt", "slack_sdk", "botbuilder")
OUR_LAYERS = ("storage", "handlers", "bot.runtime", "bot.settings")


def imported_by(*args: str) -> set[str]:
    """The top-level and dotted names of every module `leadwell ARGS` imported."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bot.cli", *args],
        capture_output=True, text=True, timeout=60, env=leadwell_env(), check=True,
    )  # fmt: skip
    return {
        line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")
    } - {"imported package"}


def loaded(modules: set[str], *roots: str) -> list[str]:
    return sorted(m for m in modules if any(m == root or m.startswith(root + ".") for root in roots))


def test_help_loads_neither_the_knowledge_base_nor_the_database_nor_any_platform() -> None:
    modules = imported_by("--help")
    assert loaded(modules, *DATABASE_AND_PLATFORMS, *OUR_LAYERS, "knowledge", "numpy", "bm25s", "yaml") == []


def test_ask_loads_the_knowledge_base_but_no_database_and_no_platform() -> None:
    modules = imported_by("ask", "what is the code of practice?")
    assert "knowledge.base" in modules
    assert loaded(modules, *DATABASE_AND_PLATFORMS, *OUR_LAYERS, "pydantic_settings") == []


def test_manifest_slack_with_an_address_loads_no_database_and_no_platform() -> None:
    modules = imported_by("manifest", "slack", "--url", "https://bot.example.nhs.uk")
    assert loaded(modules, *DATABASE_AND_PLATFORMS, *OUR_LAYERS, "knowledge") == []
