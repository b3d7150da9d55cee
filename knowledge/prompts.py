"""Reflection questions and weekly manager prompts (content in `prompts.yaml`), validated at load."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import Node

from knowledge.errors import PACKAGE_DIR, located
from knowledge.yamlnodes import check_keys, compose_file, kebab_id, line_of, mapping, sequence, text

DEFAULT_PATH = PACKAGE_DIR / "prompts.yaml"
KINDS = ("reflection", "manager")


@dataclass(frozen=True)
class Prompt:
    id: str
    text: str


@dataclass(frozen=True)
class Prompts:
    """`reflection`: check-in questions; `manager`: a reflection plus a practice for the team."""

    reflection: list[Prompt]
    manager: list[Prompt]


def load_prompts(path: Path | None = None) -> Prompts:
    """Read and validate the prompts file; ids are unique across both lists."""
    source = path or DEFAULT_PATH
    root_node = compose_file(source)
    root = mapping(source, root_node, "the file")
    check_keys(source, root_node, root, KINDS, "the file")
    seen: dict[str, int] = {}
    lists = {kind: _prompts(source, root[kind][1], kind, seen) for kind in KINDS}
    return Prompts(reflection=lists["reflection"], manager=lists["manager"])


def _prompts(path: Path, node: Node, kind: str, seen: dict[str, int]) -> list[Prompt]:
    items = sequence(path, node, kind)
    if not items:
        raise located(path, line_of(node), f"{kind} must not be empty")
    prompts = []
    for item in items:
        fields = mapping(path, item, f"a {kind} prompt")
        check_keys(path, item, fields, ("id", "text"), f"a {kind} prompt")
        prompt_id = kebab_id(path, fields["id"][1], seen, f"a {kind} prompt")
        prompts.append(Prompt(id=prompt_id, text=text(path, fields["text"][1], "text")))
    return prompts
