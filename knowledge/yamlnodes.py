"""Reading YAML with line numbers, so a schema error can name the file and the line.

PyYAML's `compose` keeps every node's position (`start_mark`); the helpers here
walk that node tree instead of the plain Python objects `safe_load` returns.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from knowledge.errors import located

KEBAB_CASE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def line_of(node: Node) -> int:
    return node.start_mark.line + 1


def compose_file(path: Path) -> Node:
    """The root node of a YAML file; syntax errors and empty files become `KnowledgeError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise located(path, None, f"cannot read the file ({exc.strerror or exc})") from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise located(path, line, f"not valid YAML ({exc.problem})") from None
    except yaml.YAMLError as exc:
        raise located(path, None, f"not valid YAML ({exc})") from None
    if root is None:
        raise located(path, None, "the file is empty")
    return root


def mapping(path: Path, node: Node, what: str) -> dict[str, tuple[Node, Node]]:
    """A mapping node as {key: (key node, value node)}; duplicate keys are an error."""
    if not isinstance(node, MappingNode):
        raise located(path, line_of(node), f"{what} must be a mapping")
    items: dict[str, tuple[Node, Node]] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key in items:
            raise located(path, line_of(key_node), f"{what} has the key {key!r} twice")
        items[key] = (key_node, value_node)
    return items


def sequence(path: Path, node: Node, what: str) -> list[Node]:
    if not isinstance(node, SequenceNode):
        raise located(path, line_of(node), f"{what} must be a list")
    return list(node.value)


def text(path: Path, node: Node, what: str) -> str:
    """A non-empty string scalar."""
    if not isinstance(node, ScalarNode) or node.tag != "tag:yaml.org,2002:str" or not str(node.value).strip():
        raise located(path, line_of(node), f"{what} must be non-empty text")
    return " ".join(str(node.value).split())


def check_keys(
    path: Path, node: Node, items: dict[str, tuple[Node, Node]], required: tuple[str, ...], what: str
) -> None:
    """Every required key present, and no unknown key."""
    for key, (key_node, _value) in items.items():
        if key not in required:
            raise located(
                path, line_of(key_node), f"{what} has an unknown field {key!r} (expected {', '.join(required)})"
            )
    for key in required:
        if key not in items:
            raise located(path, line_of(node), f"{what} is missing the field {key!r}")


def kebab_id(path: Path, node: Node, seen: dict[str, int], what: str) -> str:
    """An id in kebab-case, not seen before in the same file."""
    value = text(path, node, f"{what} id")
    if not KEBAB_CASE.match(value):
        raise located(path, line_of(node), f"id {value!r} must be kebab-case (like listen-with-fascination)")
    if value in seen:
        raise located(path, line_of(node), f"duplicate id {value!r} (first used on line {seen[value]})")
    seen[value] = line_of(node)
    return value
