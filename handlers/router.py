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
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from typing import Protocol, TypeVar

from handlers.context import Context, Services
from handlers.intents import Intents, Understood
from handlers.messages import Button, Reply
from storage.models import Person, Schedule
from storage.repositories import Repositories

Replies = Reply | list[Reply]
CommandHandler = Callable[[Context, re.Match[str]], Awaitable[Replies]]
ActionHandler = Callable[[Context], Awaitable[Replies]]
FollowUpHandler = Callable[[Context, str], Awaitable[Replies]]
FallbackHandler = Callable[[Context], Awaitable[Replies]]
# Free text that is no command, while nothing is pending: a capability may take it as the answer to
# something it asked earlier (an open check-in); None leaves it to the next one, then the fallback.
OpenAnswer = Callable[[Context, str], Awaitable[Replies | None]]
TurnHook = Callable[[Context], Awaitable[None]]
# A periodic sweep run by the scheduler in its own transaction; returns counts of what it did.
Sweep = Callable[[Repositories, Services, datetime, int], Awaitable[dict[str, int]]]


class ListingHandler(Protocol):
    """A command that lists the commands of the router it is part of (help), so it is given that router."""

    def __call__(self, ctx: Context, match: re.Match[str], /, router: Router) -> Awaitable[Replies]: ...


# Each registering decorator gives back the very function it was given (its own, narrower type).
CommandT = TypeVar("CommandT", bound=CommandHandler)
ListingT = TypeVar("ListingT", bound=ListingHandler)
ActionT = TypeVar("ActionT", bound=ActionHandler)
FollowUpT = TypeVar("FollowUpT", bound=FollowUpHandler)
FallbackT = TypeVar("FallbackT", bound=FallbackHandler)
OpenAnswerT = TypeVar("OpenAnswerT", bound=OpenAnswer)
TurnHookT = TypeVar("TurnHookT", bound=TurnHook)
SweepT = TypeVar("SweepT", bound=Sweep)


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
ComposerT = TypeVar("ComposerT", bound=Composer)


@dataclass(frozen=True)
class Command:
    """A registered command: what text it takes, what runs it, who may, and how help shows it."""

    name: str
    pattern: re.Pattern[str]
    handler: CommandHandler
    summary: str
    examples: tuple[str, ...]
    group: str
    roles: frozenset[str] | None
    lists: ListingHandler | None = None  # set for a listing command; `handler` is then bound to its router
    keeps_pending: bool = False  # only shows something: what the bot waits for stays open
    says: tuple[str, ...] = ()  # how people ask for it in their own words (`handlers.intents`)
    runs: str | None = None  # the exact command text those phrasings run; default: the first example

    def allowed_for(self, role: str) -> bool:
        return self.roles is None or role in self.roles

    def starts_over(self, waiting_for: str) -> bool:
        """Whether this command, given with text, starts over what the bot waits for (a pending kind, or a form's
        submit action, named "<command>.<step>"): `announce NEW TEXT` while an announcement is being composed
        (walked 2026-12-07: the corrected text had been read as who should get the old one, and lost)."""
        return waiting_for.startswith(f"{self.name}.")

    @property
    def takes_text(self) -> bool:
        """Whether the command carries free text of its own ("ask …", "checkin …"): while the bot waits
        for an answer, such a line is the answer, since only a line that is exactly a command is one."""
        return ".+" in self.pattern.pattern or ".*" in self.pattern.pattern


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
    view_only_actions: set[str] = field(default_factory=set)
    action_roles: dict[str, frozenset[str]] = field(default_factory=dict)  # no entry: anyone may press it
    cancel_notes: dict[str, str] = field(default_factory=dict)
    open_answers: list[OpenAnswer] = field(default_factory=list)
    action_words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # what typing picks the button
    optional_follow_ups: set[str] = field(default_factory=set)
    commanded_follow_ups: set[str] = field(default_factory=set)  # give way to a command in own words, run only
    _intents: Intents | None = field(default=None, repr=False, compare=False)

    def command(
        self,
        pattern: str,
        *,
        name: str,
        summary: str = "",
        examples: tuple[str, ...] = (),
        group: str = "General",
        roles: tuple[str, ...] | None = None,
        keeps_pending: bool = False,
        says: tuple[str, ...] = (),
        runs: str | None = None,
    ) -> Callable[[CommandT], CommandT]:
        """Register a command: `pattern` must match the whole text; `roles` (None: anyone) may run it.

        A command cancels what the bot was waiting for, unless it only shows something (`keeps_pending`).
        `says` are the phrasings people use for it, `runs` the exact command they run (`handlers.intents`).
        """

        def decorate(handler: CommandT) -> CommandT:
            command = _command(pattern, name, handler, summary, examples, group, roles)
            self._add_command(replace(command, keeps_pending=keeps_pending, says=says, runs=runs))
            return handler

        return decorate

    def listing(
        self,
        pattern: str,
        *,
        name: str,
        summary: str = "",
        examples: tuple[str, ...] = (),
        group: str = "General",
        says: tuple[str, ...] = (),
    ) -> Callable[[ListingT], ListingT]:
        """Register a command that lists what the router it ends up in can do (help); anyone may run it."""

        def decorate(lister: ListingT) -> ListingT:
            command = _command(pattern, name, partial(lister, router=self), summary, examples, group, None)
            # rebound by each includer
            self._add_command(replace(command, lists=lister, keeps_pending=True, says=says))
            return lister

        return decorate

    def action(
        self,
        name: str,
        *,
        roles: tuple[str, ...] | frozenset[str] | None = None,
        keeps_pending: bool = False,
        words: tuple[str, ...] = (),
    ) -> Callable[[ActionT], ActionT]:
        """Register what a button (or form submission) called `name` does.

        `roles` (None: anyone) may press it, checked before the handler runs, as for a command;
        `keeps_pending`: see `command`; `words`: what else typed picks the button besides its label and
        number ("done", "did it" for Done; `handlers.choices`).
        """

        def decorate(handler: ActionT) -> ActionT:
            _refuse_twice(self.actions, name, "action")
            self.actions[name] = handler
            if roles:
                self.action_roles[name] = frozenset(roles)
            if keeps_pending:
                self.view_only_actions.add(name)
            if words:
                self.action_words[name] = words
            return handler

        return decorate

    def action_allowed(self, name: str, role: str) -> bool:
        """Whether someone with `role` may press the button `name` (an unknown name: decided by the caller)."""
        roles = self.action_roles.get(name)
        return roles is None or role in roles

    def follow_up(
        self, kind: str, *, if_cancelled: str | None = None, optional: bool = False, commands: bool = False
    ) -> Callable[[FollowUpT], FollowUpT]:
        """Register what happens with the next message when a handler asked for it (`kind`).

        `if_cancelled` is what the person is told when a command cancels the wait (what was not kept,
        and how to start again), so nothing they meant to give is dropped without a word. An `optional`
        answer ("tell me how it went, or just carry on") also gives way to a command in the person's own
        words ("can I have another nudge"), not only to an exact one. With `commands`, only a command in own words
        that is clear enough to run gives way (a time asked for: "7.30pm" is the answer, though it could be offered
        as a check-in; "check in with me every fri at 5.30pm" is a command of its own).
        """

        def decorate(handler: FollowUpT) -> FollowUpT:
            _refuse_twice(self.follow_ups, kind, "follow-up")
            self.follow_ups[kind] = handler
            if if_cancelled is not None:
                self.cancel_notes[kind] = if_cancelled
            if optional:
                self.optional_follow_ups.add(kind)
            if commands:
                self.commanded_follow_ups.add(kind)
            return handler

        return decorate

    def open_answer(self, handler: OpenAnswerT) -> OpenAnswerT:
        """Register a taker of free text that answers something asked earlier (see `OpenAnswer`)."""
        self.open_answers.append(handler)
        return handler

    def on_schedule(self, kind: str) -> Callable[[ComposerT], ComposerT]:
        """Register what a due schedule of `kind` sends (see `handlers.scheduling`)."""

        def decorate(composer: ComposerT) -> ComposerT:
            _refuse_twice(self.composers, kind, "schedule kind")
            self.composers[kind] = composer
            return composer

        return decorate

    def fallback(self, handler: FallbackT) -> FallbackT:
        """Register what free text that is no command goes to (the question answerer)."""
        self.fallback_handler = handler
        return handler

    def sweep(self, sweep: SweepT) -> SweepT:
        """Run `sweep` on every scheduler pass (reminders, expiries)."""
        self.sweeps.append(sweep)
        return sweep

    def on_turn(self, hook: TurnHookT) -> TurnHookT:
        """Run `hook` at the start of every turn, before the message is dispatched."""
        self.turn_hooks.append(hook)
        return hook

    def include(self, *routers: Router) -> None:
        """Add everything `routers` registered, in their order, after what is here already."""
        for other in routers:
            for command in other.commands:
                self._add_command(command)
            for name, handler in other.actions.items():
                roles = other.action_roles.get(name)
                keeps = name in other.view_only_actions
                self.action(name, roles=roles, keeps_pending=keeps, words=other.action_words.get(name, ()))(handler)
            for kind, follow_up in other.follow_ups.items():
                optional, commands = kind in other.optional_follow_ups, kind in other.commanded_follow_ups
                self.follow_up(kind, if_cancelled=other.cancel_notes.get(kind), optional=optional, commands=commands)(
                    follow_up
                )
            self.open_answers.extend(other.open_answers)
            for kind, composer in other.composers.items():
                self.on_schedule(kind)(composer)
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

    def understand(self, text: str) -> Understood:
        """What free text that is no exact command asks for, in people's own words (`handlers.intents`)."""
        if self._intents is None:
            from knowledge.wording import english_words  # the word list is loaded once, at first use

            declared = [(c.name, c.runs or c.examples[0], c.says) for c in self.commands if c.says]
            self._intents = Intents(declared, english=english_words()[1])
        return self._intents.understand(text, lambda line: self.match(line) is not None)

    def _add_command(self, command: Command) -> None:
        self._intents = None
        if command.says and not (command.runs or command.examples):
            raise ValueError(f"command {command.name!r} has phrasings but nothing to run (runs= or an example)")
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


def _refuse_twice(table: Mapping[str, object], key: str, what: str) -> None:
    """Two capabilities claiming one name is a bug: say so at start-up."""
    if key in table:
        raise ValueError(f"{what} {key!r} registered twice")
