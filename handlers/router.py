"""The router: what the bot does for each command, button, follow-up and due schedule.

Each capability module declares its handlers at module level on its own
`routes = Router()` (as FastAPI's `APIRouter` or a bolt app's listeners), and
`handlers.build_router()` includes them all in one router, in order:

    routes = Router()

    @routes.command(r"timezone (?P<zone>\\S+)", name="timezone", summary="Set your time zone",
                    examples=("timezone Europe/London",))
    async def set_timezone(ctx: Context, match: re.Match[str]) -> Reply: ...

A command is a regular expression matched against the whole text (whitespace
collapsed), ignoring case; the first command registered that matches wins.
Commands carry a help summary and examples, so `help` is always the truth
about what the bot can do.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from typing import Protocol, TypeVar

from handlers.context import Context, Services
from handlers.messages import Button, Reply
from storage.models import Person, Schedule
from storage.repositories import Repositories

Replies = Reply | list[Reply]
CommandHandler = Callable[[Context, re.Match[str]], Awaitable[Replies]]
# A command that lists the commands of the router it is part of (help) is also given that router.
ListingHandler = Callable[[Context, re.Match[str], "Router"], Awaitable[Replies]]
ActionHandler = Callable[[Context], Awaitable[Replies]]
FollowUpHandler = Callable[[Context, str], Awaitable[Replies]]
FallbackHandler = Callable[[Context], Awaitable[Replies]]
TurnHook = Callable[[Context], Awaitable[None]]
# A periodic sweep run by the scheduler in its own transaction; returns counts of what it did.
Sweep = Callable[[Repositories, Services, datetime, int], Awaitable[dict[str, int]]]
H = TypeVar("H")


@dataclass(frozen=True)
class Occurrence:
    """One due occurrence of a schedule, handed to the capability that owns its kind."""

    schedule: Schedule
    person: Person
    at: datetime
    late: bool


class Numbered(Protocol):
    """A table row: the database numbers it (sets `id`) when it is flushed."""

    id: int | None


@dataclass(frozen=True)
class Draft:
    """A scheduled message whose buttons name a row the composer added, which has no id yet.

    The scheduler flushes the rows of its whole batch together (one round trip,
    not one per row) and then sends `reply` with `buttons(row.id)` added.
    """

    reply: Reply
    row: Numbered
    buttons: Callable[[int], tuple[Button, ...]]

    def finish(self) -> Reply:
        assert self.row.id is not None, "the scheduler flushes the batch before it finishes a draft"
        return replace(self.reply, buttons=self.buttons(self.row.id))


# What a due occurrence sends: a reply, a draft (see `Draft`), or None for nothing this time.
Composed = Reply | Draft | None
Composer = Callable[[Repositories, Services, Occurrence, datetime], Awaitable[Composed]]


@dataclass(frozen=True)
class Command:
    name: str
    pattern: re.Pattern[str]
    handler: CommandHandler
    summary: str
    examples: tuple[str, ...]
    group: str
    roles: frozenset[str] | None
    lists: ListingHandler | None = None  # set for a listing command; `handler` is then bound to its router

    def allowed_for(self, role: str) -> bool:
        return self.roles is None or role in self.roles


@dataclass
class Router:
    """What the capabilities registered; `handlers.conversation` and the scheduler dispatch with it."""

    commands: list[Command] = field(default_factory=list)
    actions: dict[str, ActionHandler] = field(default_factory=dict)
    follow_ups: dict[str, FollowUpHandler] = field(default_factory=dict)
    fallback_handler: FallbackHandler | None = None
    composers: dict[str, Composer] = field(default_factory=dict)
    turn_hooks: list[TurnHook] = field(default_factory=list)
    sweeps: list[Sweep] = field(default_factory=list)

    def command(
        self,
        pattern: str,
        *,
        name: str,
        summary: str = "",
        examples: tuple[str, ...] = (),
        group: str = "General",
        roles: tuple[str, ...] | None = None,
    ) -> Callable[[CommandHandler], CommandHandler]:
        """Register a command: `pattern` must match the whole text; `roles` (None: anyone) may run it."""

        def decorate(handler: CommandHandler) -> CommandHandler:
            self._add_command(_command(pattern, name, handler, summary, examples, group, roles))
            return handler

        return decorate

    def listing(
        self, pattern: str, *, name: str, summary: str = "", examples: tuple[str, ...] = (), group: str = "General"
    ) -> Callable[[ListingHandler], ListingHandler]:
        """Register a command that lists what the router it ends up in can do (help); anyone may run it."""

        def decorate(lister: ListingHandler) -> ListingHandler:
            unbound = _command(pattern, name, partial(lister, router=self), summary, examples, group, None)
            self._add_command(replace(unbound, lists=lister))
            return lister

        return decorate

    def action(self, name: str) -> Callable[[ActionHandler], ActionHandler]:
        """Register what a button (or form submission) called `name` does."""
        return _registrar(self.actions, name, "action")

    def follow_up(self, kind: str) -> Callable[[FollowUpHandler], FollowUpHandler]:
        """Register what happens with the next message when a handler asked for it (`kind`)."""
        return _registrar(self.follow_ups, kind, "follow-up")

    def on_schedule(self, kind: str) -> Callable[[Composer], Composer]:
        """Register what a due schedule of `kind` sends (see `handlers.scheduling`)."""
        return _registrar(self.composers, kind, "schedule kind")

    def fallback(self, handler: FallbackHandler) -> FallbackHandler:
        """Register what free text that is no command goes to (the question answerer)."""
        self.fallback_handler = handler
        return handler

    def sweep(self, sweep: Sweep) -> Sweep:
        """Run `sweep` on every scheduler pass (reminders, expiries)."""
        self.sweeps.append(sweep)
        return sweep

    def on_turn(self, hook: TurnHook) -> TurnHook:
        """Run `hook` at the start of every turn, before the message is dispatched."""
        self.turn_hooks.append(hook)
        return hook

    def include(self, *routers: Router) -> None:
        """Add everything `routers` registered, in their order, after what is here already."""
        for other in routers:
            for command in other.commands:
                self._add_command(command)
            for table, registered, what in (
                (self.actions, other.actions, "action"),
                (self.follow_ups, other.follow_ups, "follow-up"),
                (self.composers, other.composers, "schedule kind"),
            ):
                for key, handler in registered.items():
                    _put(table, key, what, handler)
            if other.fallback_handler is not None:
                self.fallback(other.fallback_handler)
            self.turn_hooks.extend(other.turn_hooks)
            self.sweeps.extend(other.sweeps)

    def match(self, text: str) -> tuple[Command, re.Match[str]] | None:
        """The first command whose pattern matches all of `text`, and the match."""
        cleaned = " ".join(text.split())
        for command in self.commands:
            found = command.pattern.fullmatch(cleaned)
            if found:
                return command, found
        return None

    def _add_command(self, command: Command) -> None:
        if any(c.name == command.name for c in self.commands):
            raise ValueError(f"command {command.name!r} registered twice")
        if command.lists is not None:
            command = replace(command, handler=partial(command.lists, router=self))
        self.commands.append(command)


def _command(
    pattern: str,
    name: str,
    handler: CommandHandler,
    summary: str,
    examples: tuple[str, ...],
    group: str,
    roles: tuple[str, ...] | None,
) -> Command:
    compiled = re.compile(pattern, re.IGNORECASE | re.DOTALL)
    return Command(name, compiled, handler, summary, examples, group, frozenset(roles) if roles else None)


def _registrar(table: dict[str, H], key: str, what: str) -> Callable[[H], H]:
    def decorate(handler: H) -> H:
        return _put(table, key, what, handler)

    return decorate


def _put(table: dict[str, H], key: str, what: str, handler: H) -> H:
    """Register `handler` under `key`, refusing a second one (two capabilities claiming one name is a bug)."""
    if key in table:
        raise ValueError(f"{what} {key!r} registered twice")
    table[key] = handler
    return handler
