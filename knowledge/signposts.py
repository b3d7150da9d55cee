"""Support signposts (content, in `signposts.yaml`): the phrases to notice and who can help."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_PATH = Path(__file__).parent / "signposts.yaml"


@dataclass(frozen=True)
class Signpost:
    name: str
    detail: str


@dataclass(frozen=True)
class Signposts:
    phrases: dict[str, tuple[str, ...]]
    message: str
    signposts: tuple[Signpost, ...]
    closing: str

    def concerns(self, text: str) -> list[str]:
        """Which kinds of concern (distress, bullying, safety) `text` suggests."""
        lowered = " ".join(text.lower().replace("’", "'").split())
        found = []
        for kind, phrases in self.phrases.items():
            if any(re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", lowered) for phrase in phrases):
                found.append(kind)
        return found


def load_signposts(path: Path | None = None) -> Signposts:
    """Read and check the signposts file; a problem names the file."""
    source = path or DEFAULT_PATH
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    try:
        return Signposts(
            phrases={kind: tuple(str(p).lower() for p in items) for kind, items in data["phrases"].items()},
            message=str(data["message"]),
            signposts=tuple(Signpost(str(s["name"]), str(s["detail"])) for s in data["signposts"]),
            closing=str(data["closing"]),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"{source}: expected phrases, message, signposts and closing ({exc})") from None
