"""The router: capability modules register commands, button actions and follow-ups here.

A command is a regular expression matched against the whole (trimmed) text,
ignoring case. Commands carry a help summary and examples, so `help` is always
the truth about what the bot can do.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from handlers.context import Context, Services
from handlers.messages import Reply
from storage.models import Person, Schedule
from storage.repositories import Repositories

CommandHandler = Callable[[Context, re.Match[str]], Awaitable[Reply | list[Reply]]]
ActionHandler = Callable[[Context], Awaitable[Reply | list[Reply]]]
FollowUpHandler = Callable[[Context, str], Awaitable[Reply | list[Reply]]]
FallbackHandler = Callable[[Context], Awaitable[Reply | list[Reply]]]
TurnHook = Callable[[Context], Awaitable[None]]
# A periodic sweep run by the scheduler in its own transaction; returns counts of what it did.
Sweep = Callable[[Repositories, Services, datetime, int], Awaitable[dict[str, int]]]


@dataclass(frozen=True)
class Occurrence:
    """One due occurrence of a schedule, handed to the capability that owns its kind."""

    schedule: Schedule
    person: Person
    at: datetime
    late: bool


# Builds the message for a due occurrence (creating any rows it needs); None sends nothing.
# A composer whose reply needs the id of a row it added may return a function instead: the
# scheduler calls it after flushing the whole batch once (one round trip, not one per row).
Composed = Reply | Callable[[], Reply] | None
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

    def allowed_for(self, role: str) -> bool:
        return self.roles is None or role in self.roles


@dataclass
class Router:
    """Holds what each capability registered; `handlers.conversation` dispatches with it."""

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
        """Register a command.

        Example:
            @router.command(r"timezone (?P<zone>\\S+)", name="timezone", summary="Set your time zone",
                            examples=("timezone Europe/London",))
            async def set_timezone(ctx, match): ...
        """

        def decorate(handler: CommandHandler) -> CommandHandler:
            if any(c.name == name for c in self.commands):
                raise ValueError(f"command {name!r} registered twice")
            self.commands.append(
                Command(
                    name=name,
                    pattern=re.compile(pattern, re.IGNORECASE | re.DOTALL),
                    handler=handler,
                    summary=summary,
                    examples=examples,
                    group=group,
                    roles=frozenset(roles) if roles else None,
                )
            )
            return handler

        return decorate

    def action(self, name: str) -> Callable[[ActionHandler], ActionHandler]:
        """Register what a button (or form submission) called `name` does."""

        def decorate(handler: ActionHandler) -> ActionHandler:
            if name in self.actions:
                raise ValueError(f"action {name!r} registered twice")
            self.actions[name] = handler
            return handler

        return decorate

    def follow_up(self, kind: str) -> Callable[[FollowUpHandler], FollowUpHandler]:
        """Register what happens with the next message when a handler asked for it (`kind`)."""

        def decorate(handler: FollowUpHandler) -> FollowUpHandler:
            if kind in self.follow_ups:
                raise ValueError(f"follow-up {kind!r} registered twice")
            self.follow_ups[kind] = handler
            return handler

        return decorate

    def fallback(self, handler: FallbackHandler) -> FallbackHandler:
        """Register what free text that is no command goes to (the question answerer)."""
        self.fallback_handler = handler
        return handler

    def on_schedule(self, kind: str) -> Callable[[Composer], Composer]:
        """Register what a due schedule of `kind` sends (see `handlers.scheduling`)."""

        def decorate(composer: Composer) -> Composer:
            if kind in self.composers:
                raise ValueError(f"schedule kind {kind!r} registered twice")
            self.composers[kind] = composer
            return composer

        return decorate

    def sweep(self, sweep: Sweep) -> Sweep:
        """Run `sweep` on every scheduler pass (reminders, expiries)."""
        self.sweeps.append(sweep)
        return sweep

    def on_turn(self, hook: TurnHook) -> TurnHook:
        """Run `hook` at the start of every turn, before the message is dispatched."""
        self.turn_hooks.append(hook)
        return hook

    def match(self, text: str) -> tuple[Command, re.Match[str]] | None:
        cleaned = " ".join(text.split())
        for command in self.commands:
            found = command.pattern.fullmatch(cleaned)
            if found:
                return command, found
        return None
