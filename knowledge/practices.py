"""Compassionate-leadership micro-practices (content in `practices.yaml`), validated at load."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import Node

from knowledge.errors import PACKAGE_DIR, located
from knowledge.yamlnodes import check_keys, compose_file, kebab_id, line_of, mapping, sequence, text

DEFAULT_PATH = PACKAGE_DIR / "practices.yaml"
BEHAVIOURS = ("attending", "understanding", "empathising", "helping")
AUDIENCES = ("anyone", "managers")
FIELDS = ("id", "title", "how_to", "behaviour", "audience", "source")


@dataclass(frozen=True)
class Practice:
    """One small practice a busy person can try in under five minutes."""

    id: str
    title: str
    how_to: str
    behaviour: str
    audience: str
    source: str


def load_practices(path: Path | None = None) -> list[Practice]:
    """Read and validate the practices file; any problem raises `KnowledgeError` naming file and line."""
    source = path or DEFAULT_PATH
    root_node = compose_file(source)
    root = mapping(source, root_node, "the file")
    check_keys(source, root_node, root, ("practices",), "the file")
    items = sequence(source, root["practices"][1], "practices")
    if not items:
        raise located(source, line_of(root["practices"][1]), "practices must not be empty")
    seen: dict[str, int] = {}
    return [_practice(source, node, seen) for node in items]


def _practice(path: Path, node: Node, seen: dict[str, int]) -> Practice:
    fields = mapping(path, node, "a practice")
    check_keys(path, node, fields, FIELDS, "a practice")
    values = {key: text(path, fields[key][1], key) for key in FIELDS if key != "id"}
    for key, allowed in (("behaviour", BEHAVIOURS), ("audience", AUDIENCES)):
        if values[key] not in allowed:
            raise located(path, line_of(fields[key][1]), f"{key} must be one of {', '.join(allowed)}")
    return Practice(id=kebab_id(path, fields["id"][1], seen, "a practice"), **values)
