"""Safeguarding content (in `signposts.yaml`): the levels of support, their phrases, routes and sources.

`load_signposts()` reads and checks the file: every route names a source, every
level lists known routes, local contacts name real levels and routes. A problem
raises `KnowledgeError` naming the file and line. The phrases are compiled by
`knowledge.safeguarding.Safeguarding` (the detector), reached as `Signposts.detector`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

from yaml.nodes import Node, ScalarNode

from knowledge.errors import PACKAGE_DIR, located
from knowledge.yamlnodes import check_keys, compose_file, line_of, mapping, sequence, text

if TYPE_CHECKING:
    from knowledge.safeguarding import Safeguarding

DEFAULT_PATH = PACKAGE_DIR / "signposts.yaml"
Level = Literal["risk_to_life", "distress", "concern"]
LEVELS: tuple[Level, ...] = get_args(Level)  # most urgent first
TOP_KEYS = (
    "sources", "routes", "levels", "frames", "idioms", "someone_else", "spellings", "keep_whole",
    "local_contacts", "closing", "colleague_closing", "gentle", "support_intro",
)  # fmt: skip
# Optional: families of words that, met together, show a risk to life said indirectly (`Safeguarding`)
OPTIONAL_KEYS = (
    "risk_cues", "unsure", "first_routes", "first_openings", "bereaved", "at_risk_next", "harm_next", "still_here",
    "still_here_urgent", "helping_next", "concern_next", "still_here_again", "still_here_urgent_again",
)
LEVEL_KEYS = ("opening", "colleague_opening", "meaning_opening", "routes", "colleague_routes", "phrases", "topics")


@dataclass(frozen=True)
class Phrase:
    """A phrase pattern as written in the file, with its line (so a bad one can be pointed at)."""

    text: str
    line: int


@dataclass(frozen=True)
class Source:
    """What a route rests on: the entry in the safeguarding facts, and the pages it was checked against."""

    id: str
    fact: str
    urls: tuple[str, ...]


@dataclass(frozen=True)
class Route:
    """One route of support (Samaritans, the Guardian, an organisation's own contact)."""

    id: str
    name: str
    detail: str
    source: str | None = None  # None for an organisation's own contact


@dataclass(frozen=True)
class LocalContact:
    """An organisation's own contact, shown with `levels`, right after the route `after` (else last)."""

    route: Route
    levels: tuple[Level, ...]
    after: str | None


@dataclass(frozen=True)
class LevelContent:
    """What one level looks for and what its support says."""

    level: Level
    opening: str
    colleague_opening: str
    meaning_opening: str  # the opening when only the meaning model read the level: it may be wrong, and says so
    routes: tuple[str, ...]
    colleague_routes: tuple[str, ...]
    phrases: tuple[Phrase, ...]
    topics: tuple[Phrase, ...]


@dataclass(frozen=True)
class Opening:
    """The first line for a message about what a first route is for, to the person or to someone helping another."""

    opening: str
    colleague_opening: str
    context: str = ""  # what a later question from someone helping is read with (`handlers.ask`), in our words
    own_context: str = ""  # … and a later question from the person it happened to (a bereavement: "can i get time off")
    harm: bool = True  # abuse or harm (what to do next is `Signposts.harm_next`); False for a loss
    levels: tuple[Level, ...] = ()  # the levels at which the route comes first (all when empty): a loss, not at a risk
    # to life, where 999 and Samaritans come first and the opening is the level's


@dataclass(frozen=True)
class Bereaved:
    """What someone bereaved by suicide is told: an opening, the routes, and a line after them."""

    opening: str
    routes: tuple[str, ...]
    after: str


@dataclass(frozen=True)
class Signposts:
    """The whole safeguarding content, checked."""

    path: Path
    sources: dict[str, Source]
    routes: tuple[Route, ...]
    levels: dict[Level, LevelContent]
    frames: tuple[Phrase, ...]
    idioms: tuple[Phrase, ...]
    someone_else: tuple[Phrase, ...]
    spellings: dict[str, str]
    keep_whole: frozenset[str]
    local_contacts: tuple[LocalContact, ...] = ()
    closing: str = ""
    colleague_closing: str = ""
    gentle: str = ""
    support_intro: str = ""
    risk_cues: dict[str, tuple[Phrase, ...]] = field(default_factory=dict)
    unsure: str = ""  # the one line for a statement that may be a risk to life said indirectly (one strong cue)
    # for a short question soon after telling of someone else at risk ("what do i say to them", "should i tell the
    # nic"): what to do next, for the helper (`handlers.follow_ups`)
    at_risk_next: str = ""
    # for a short question soon after telling of someone else being harmed or abused (a child, a patient, a colleague
    # at home): what to do next (`handlers.follow_ups`)
    harm_next: str = ""
    # for what the writer says next, soon after support for themselves, when it asks nothing the answerer is sure of
    # ("didnt do anything obvs", "like 20", "srsly"): that the bot is still there, and (after a risk to life,
    # `still_here_urgent`) the urgent numbers again, never a decline
    still_here: str = ""
    still_here_urgent: str = ""
    # … and the same said in other words when it was said just before (the same line twice in a row reads like a
    # machine: walks E, G and I, 2026-12-07); the first lines when these are empty
    still_here_again: str = ""
    still_here_urgent_again: str = ""
    # for a statement soon after support for helping someone else, when no question of theirs is kept to read it with
    helping_next: str = ""
    # for "am i overreacting", "is that just part of the job" soon after support for a concern raised about how the
    # writer is treated (bullying, harassment, racism): that it is not, and who can help them raise it
    concern_next: str = ""
    # a route shown first, whatever the level, when the message is about what it is for (abuse at home: the helpline)
    first_routes: dict[str, tuple[Phrase, ...]] = field(default_factory=dict)
    # the opening for a message about what a first route is for (abuse, sexual violence, a child at risk), in place of
    # the level's, which speaks of the writer's feelings
    first_openings: dict[str, Opening] = field(default_factory=dict)
    # for someone bereaved by suicide (`Assessment.bereaved`): the opening, the routes, and a line after them
    bereaved: Bereaved | None = None
    _by_id: dict[str, Route] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({route.id: route for route in self.routes})

    def is_harm(self, route: str | None) -> bool:
        """Whether a first route is for abuse or harm (`Opening.harm`; a route without openings is), not a loss (a
        bereavement); False for no route."""
        if route is None:
            return False
        opening = self.first_openings.get(route)
        return opening is None or opening.harm

    def level_named(self, name: str | None) -> Level | None:
        """The level called `name` ("distress"), or None for any other text."""
        return next((level for level in self.levels if level == name), None)

    def still_there(self, *, urgent: bool, again: bool = False) -> str:
        """The line that says the bot is still there after support for the writer (`still_here`; after a risk to life,
        `still_here_urgent`, with the urgent numbers; `again`, when it was said just before, its other wording);
        "" when the file has none."""
        if again and (self.still_here_urgent_again if urgent else self.still_here_again):
            return self.still_here_urgent_again if urgent else self.still_here_again
        return self.still_here_urgent if urgent else self.still_here

    def routes_for(self, level: Level, *, colleague: bool = False) -> list[Route]:
        """The routes a level shows, in order, with the organisation's own contacts placed after theirs."""
        content = self.levels[level]
        return self._placed(content.colleague_routes if colleague else content.routes, level)

    def bereaved_routes(self, level: Level) -> list[Route]:
        """The routes for someone bereaved by suicide (`bereaved`), in order, with the organisation's own contacts for
        `level` placed as `routes_for` places them; none without a `bereaved` block."""
        return [] if self.bereaved is None else self._placed(self.bereaved.routes, level)

    def _placed(self, route_ids: tuple[str, ...], level: Level) -> list[Route]:
        """The routes named, in order, with the organisation's own contacts for `level` among them (`_with_local`)."""
        return _with_local([self._by_id[r] for r in route_ids], [c for c in self.local_contacts if level in c.levels])

    def every_route(self) -> list[Route]:
        """Every route, in the file's order, with every local contact (what `support` lists)."""
        return _with_local(list(self.routes), list(self.local_contacts))

    @cached_property
    def detector(self) -> Safeguarding:
        """The detector compiled from this content (built on first use; it loads an English word list)."""
        from knowledge.safeguarding import Safeguarding

        return Safeguarding(self)


def _with_local(routes: list[Route], local: list[LocalContact]) -> list[Route]:
    for contact in local:
        ids = [r.id for r in routes]
        at = ids.index(contact.after) + 1 if contact.after in ids else len(routes)
        routes.insert(at, contact.route)
    return routes


def load_signposts(path: Path | None = None) -> Signposts:
    """Read and check the signposts file (the shipped one is read once per process: it never changes)."""
    return _load(path) if path is not None else _shipped()


@cache
def _shipped() -> Signposts:
    return _load(DEFAULT_PATH)


def _load(path: Path) -> Signposts:
    root_node = compose_file(path)
    root = mapping(path, root_node, "the file")
    optional = {key: root.pop(key) for key in OPTIONAL_KEYS if key in root}
    check_keys(path, root_node, root, TOP_KEYS, "the file")
    sources = _sources(path, root["sources"][1])
    routes = tuple(_route(path, node, sources) for node in sequence(path, root["routes"][1], "routes"))
    route_ids = {route.id for route in routes}
    if len(route_ids) != len(routes):
        raise located(path, line_of(root["routes"][1]), "two routes have the same id")
    levels_node = root["levels"][1]
    levels = mapping(path, levels_node, "levels")
    check_keys(path, levels_node, levels, LEVELS, "levels")
    return Signposts(
        path=path,
        sources=sources,
        routes=routes,
        levels={level: _level(path, level, levels[level][1], route_ids) for level in LEVELS},
        frames=_phrases(path, root["frames"][1], "frames"),
        idioms=_phrases(path, root["idioms"][1], "idioms"),
        someone_else=_phrases(path, root["someone_else"][1], "someone_else"),
        spellings={
            key.casefold(): text(path, value, f"the spelling of {key!r}").casefold()
            for key, (_, value) in mapping(path, root["spellings"][1], "spellings").items()
        },
        keep_whole=frozenset(p.text.casefold() for p in _phrases(path, root["keep_whole"][1], "keep_whole")),
        local_contacts=tuple(
            _local(path, node, route_ids) for node in sequence(path, root["local_contacts"][1], "local_contacts")
        ),
        closing=text(path, root["closing"][1], "closing"),
        colleague_closing=text(path, root["colleague_closing"][1], "colleague_closing"),
        gentle=text(path, root["gentle"][1], "gentle"),
        support_intro=text(path, root["support_intro"][1], "support_intro"),
        unsure=_optional_text(path, optional, "unsure"),
        at_risk_next=_optional_text(path, optional, "at_risk_next"),
        harm_next=_optional_text(path, optional, "harm_next"),
        helping_next=_optional_text(path, optional, "helping_next"),
        concern_next=_optional_text(path, optional, "concern_next"),
        still_here=_optional_text(path, optional, "still_here"),
        still_here_again=_optional_text(path, optional, "still_here_again"),
        still_here_urgent=_optional_text(path, optional, "still_here_urgent"),
        still_here_urgent_again=_optional_text(path, optional, "still_here_urgent_again"),
        risk_cues={
            family: _phrases(path, value, f"risk cue family {family!r}")
            for family, (_, value) in (
                mapping(path, optional["risk_cues"][1], "risk_cues").items() if "risk_cues" in optional else ()
            )
        },
        first_routes=_first_routes(path, optional.get("first_routes"), route_ids),
        first_openings=_first_openings(path, optional.get("first_openings"), route_ids),
        bereaved=_bereaved(path, optional.get("bereaved"), route_ids),
    )


def _bereaved(path: Path, entry: tuple[Node, Node] | None, route_ids: set[str]) -> Bereaved | None:
    """The file's `bereaved` block, checked (None when it has none)."""
    if entry is None:
        return None
    fields = mapping(path, entry[1], "bereaved")
    check_keys(path, entry[1], fields, ("opening", "routes", "after"), "bereaved")
    return Bereaved(
        opening=text(path, fields["opening"][1], "the bereaved opening"),
        routes=_route_ids(path, fields["routes"][1], route_ids),
        after=text(path, fields["after"][1], "the line after the bereaved routes"),
    )


def _first_routes(path: Path, entry: tuple[Node, Node] | None, route_ids: set[str]) -> dict[str, tuple[Phrase, ...]]:
    """Each route shown first when one of its phrases is in the message (the file's `first_routes`)."""
    if entry is None:
        return {}
    found = {}
    for route, (key, value) in mapping(path, entry[1], "first_routes").items():
        if route not in route_ids:
            raise located(path, line_of(key), f"first_routes names {route!r}, which is not a listed route")
        found[route] = _phrases(path, value, f"the phrases of first route {route!r}")
    return found


def _first_openings(path: Path, entry: tuple[Node, Node] | None, route_ids: set[str]) -> dict[str, Opening]:
    """Each first route's own openings (the file's `first_openings`), checked."""
    if entry is None:
        return {}
    found = {}
    for route, (key, value) in mapping(path, entry[1], "first_openings").items():
        if route not in route_ids:
            raise located(path, line_of(key), f"first_openings names {route!r}, which is not a listed route")
        fields = mapping(path, value, f"the openings of {route!r}")
        context, own_context = fields.pop("context", None), fields.pop("own_context", None)
        harm, levels = fields.pop("harm", None), fields.pop("levels", None)
        check_keys(path, value, fields, ("opening", "colleague_opening"), f"the openings of {route!r}")
        found[route] = Opening(
            text(path, fields["opening"][1], f"the opening of {route!r}"),
            text(path, fields["colleague_opening"][1], f"the colleague opening of {route!r}"),
            text(path, context[1], f"the context of {route!r}") if context is not None else "",
            text(path, own_context[1], f"the own context of {route!r}") if own_context is not None else "",
            _flag(path, harm[1], f"the harm flag of {route!r}") if harm is not None else True,
            _levels(path, levels[1], f"the levels of {route!r}") if levels is not None else (),
        )
    return found


def _optional_text(path: Path, optional: dict[str, tuple[Node, Node]], key: str) -> str:
    """An optional top-level text of the file ("" when it has none)."""
    return text(path, optional[key][1], key) if key in optional else ""


def _flag(path: Path, node: Node, what: str) -> bool:
    if not isinstance(node, ScalarNode) or node.tag != "tag:yaml.org,2002:bool":
        raise located(path, line_of(node), f"{what} must be true or false")
    return str(node.value).casefold() == "true"


def _levels(path: Path, node: Node, what: str) -> tuple[Level, ...]:
    """Some of the levels (`levels: [distress]`), in the order of LEVELS."""
    levels = tuple(text(path, n, "a level") for n in sequence(path, node, what))
    if not levels or any(level not in LEVELS for level in levels):
        raise located(path, line_of(node), f"{what} must be some of {', '.join(LEVELS)}")
    return tuple(level for level in LEVELS if level in levels)


def _sources(path: Path, node: Node) -> dict[str, Source]:
    found = {}
    for key, (_, value) in mapping(path, node, "sources").items():
        fields = mapping(path, value, f"source {key!r}")
        check_keys(path, value, fields, ("fact", "urls"), f"source {key!r}")
        urls = tuple(text(path, u, "a url") for u in sequence(path, fields["urls"][1], "urls"))
        if not urls or not all(u.startswith("https://") for u in urls):
            raise located(path, line_of(fields["urls"][1]), f"source {key!r} needs one or more https:// urls")
        found[key] = Source(key, text(path, fields["fact"][1], "fact"), urls)
    return found


def _route(path: Path, node: Node, sources: dict[str, Source]) -> Route:
    fields = mapping(path, node, "a route")
    check_keys(path, node, fields, ("id", "name", "detail", "source"), "a route")
    source = text(path, fields["source"][1], "source")
    if source not in sources:
        raise located(path, line_of(fields["source"][1]), f"source {source!r} is not listed under sources")
    values = {key: text(path, fields[key][1], key) for key in ("id", "name", "detail")}
    return Route(values["id"], values["name"], values["detail"], source)


def _level(path: Path, level: Level, node: Node, route_ids: set[str]) -> LevelContent:
    fields = mapping(path, node, level)
    check_keys(path, node, fields, LEVEL_KEYS, level)
    return LevelContent(
        level=level,
        opening=text(path, fields["opening"][1], "opening"),
        colleague_opening=text(path, fields["colleague_opening"][1], "colleague_opening"),
        meaning_opening=text(path, fields["meaning_opening"][1], "meaning_opening"),
        routes=_route_ids(path, fields["routes"][1], route_ids),
        colleague_routes=_route_ids(path, fields["colleague_routes"][1], route_ids),
        phrases=_phrases(path, fields["phrases"][1], "phrases"),
        topics=_phrases(path, fields["topics"][1], "topics"),
    )


def _route_ids(path: Path, node: Node, route_ids: set[str]) -> tuple[str, ...]:
    ids = tuple(text(path, n, "a route id") for n in sequence(path, node, "routes"))
    unknown = [i for i in ids if i not in route_ids]
    if unknown or not ids:
        raise located(path, line_of(node), f"routes must name listed routes (unknown: {', '.join(unknown) or '-'})")
    return ids


def _phrases(path: Path, node: Node, what: str) -> tuple[Phrase, ...]:
    return tuple(Phrase(text(path, n, what), line_of(n)) for n in sequence(path, node, what))


def _local(path: Path, node: Node, route_ids: set[str]) -> LocalContact:
    fields = mapping(path, node, "a local contact")
    check_keys(path, node, fields, ("name", "detail", "levels", "after"), "a local contact")
    name, detail = text(path, fields["name"][1], "name"), text(path, fields["detail"][1], "detail")
    levels = _levels(path, fields["levels"][1], "levels")
    after = text(path, fields["after"][1], "after")
    if after not in route_ids:
        raise located(path, line_of(fields["after"][1]), f"after must name a listed route, not {after!r}")
    route = Route(f"local:{name}", name, detail)
    return LocalContact(route, levels, after)
