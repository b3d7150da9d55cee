"""The one exception the knowledge package raises for bad content or configuration."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


class KnowledgeError(ValueError):
    """Content or a YAML file is invalid; the message names the file and, where known, the line."""


def display_path(path: Path) -> str:
    """`knowledge/practices.yaml` for files inside the project, else the path as given."""
    try:
        return path.resolve().relative_to(PACKAGE_DIR.parent).as_posix()
    except ValueError:
        return str(path)


def located(path: Path, line: int | None, message: str) -> KnowledgeError:
    """A `KnowledgeError` whose message starts with the file and (1-based) line."""
    where = display_path(path) if line is None else f"{display_path(path)} line {line}"
    return KnowledgeError(f"{where}: {message}")
