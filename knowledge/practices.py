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
# What a practice serves: the three core work needs (The courage of compassion) and the seven
# elements of the People Promise, each as a short kebab-case name.
CORE_NEEDS = ("autonomy", "belonging", "contribution")
PROMISE_ELEMENTS = (
    "compassionate-and-inclusive",
    "recognised-and-rewarded",
    "a-voice-that-counts",
    "safe-and-healthy",
    "always-learning",
    "work-flexibly",
    "we-are-a-team",
)
SERVES = CORE_NEEDS + PROMISE_ELEMENTS
FIELDS = ("id", "title", "how_to", "behaviour", "audience", "serves", "source")


@dataclass(frozen=True)
class Practice:
    """One small practice a busy person can try in under five minutes."""

    id: str
    title: str
    how_to: str
    behaviour: str
    audience: str
    source: str
    serves: tuple[str, ...] = ()  # core work needs and People Promise elements it serves (see `SERVES`)


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
    values = {key: text(path, fields[key][1], key) for key in FIELDS if key not in ("id", "serves")}
    for key, allowed in (("behaviour", BEHAVIOURS), ("audience", AUDIENCES)):
        if values[key] not in allowed:
            raise located(path, line_of(fields[key][1]), f"{key} must be one of {', '.join(allowed)}")
    practice_id = kebab_id(path, fields["id"][1], seen, "a practice")
    return Practice(id=practice_id, serves=_serves(path, fields["serves"][1]), **values)


def _serves(path: Path, node: Node) -> tuple[str, ...]:
    items = sequence(path, node, "serves")
    if not items:
        raise located(path, line_of(node), "serves must name at least one core need or People Promise element")
    names = tuple(text(path, item, "serves") for item in items)
    for item, name in zip(items, names, strict=True):
        if name not in SERVES:
            raise located(path, line_of(item), f"serves: {name!r} must be one of {', '.join(SERVES)}")
    if len(set(names)) != len(names):
        raise located(path, line_of(node), "serves names the same thing twice")
    return names
