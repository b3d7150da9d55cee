"""The terminal adapter: lines in, plain-text replies out, buttons as numbered choices.

Interactive when stdin is a terminal; with a pipe it reads one message a line and
prints each reply, so it can be scripted (`printf 'help\\n' | leadwell chat`).
A form is filled in one field a line.

While it runs, the chat does its own person's scheduled work itself, since no server can reach a
terminal: every second it runs the scheduler for that person alone (their due check-ins, nudges
and manager prompts, and the sweeps: reminders of their open check-ins, expiries), then prints
what the outbox holds for them on the console, whoever queued it (this chat, or the scheduler
worker of a server on the same database). Both take the same locks and dedupe keys and the
outbox rows are claimed by lease, so a message is queued once and printed once. A message that
arrives while the person is typing goes on a new line, and the prompt is shown again after it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TextIO

from bot.console.adapter import PLATFORM, ConsoleAdapter, render
from bot.engine import Event, TurnEngine
from bot.runtime import Runtime, build_engine
from handlers.messages import Action, Button, Form, Incoming, Reply
from handlers.scheduling import Scheduler
from handlers.sealing import open_reply
from storage.repositories import Repositories

log = logging.getLogger(__name__)
PROMPT = "you › "
DUE_EVERY = 1.0  # seconds between two rounds of the person's due work
LEASE = timedelta(seconds=30)  # how long a claimed outbox row is this chat's to print


@dataclass
class FormFilling:
    form: Form
    values: dict[str, str] = field(default_factory=dict)

    @property
    def current(self) -> str | None:
        for f in self.form.fields:
            if f.name not in self.values:
                hint = f" (one of: {', '.join(f.options)})" if f.options else ""
                optional = " (optional, “-” to skip)" if not f.required else ""
                return f"{f.label}{hint}{optional}:"
        return None


class ConsoleChat:
    """One person's terminal conversation over the shared core and database."""

    def __init__(self, runtime: Runtime, *, user: str, out: TextIO, engine: TurnEngine | None = None) -> None:
        self.runtime = runtime
        self.engine = engine or build_engine(runtime)
        self.engine.attach(ConsoleAdapter())
        self.identity = f"console:{user}"
        self.user = user
        self.out = out
        self.choices: list[Button] = []
        self.filling: FormFilling | None = None
        self.person_id: int | None = None
        self.scheduler: Scheduler | None = None  # this person's due work, made once their id is known
        self.prompt: str | None = None  # shown while waiting for a line (interactive only)
        self.at_prompt = False  # the prompt is on screen and the person may be typing after it
        self.printed: set[int] = set()  # outbox rows shown: a row claimed again is not shown twice
        self.owner = f"console:{os.getpid()}:{id(self):x}"

    def show(self, text: str) -> None:
        self.out.write(text.rstrip() + "\n\n")
        self.out.flush()

    def ask_for_line(self) -> None:
        """Show the prompt (interactive only); a message arriving now goes on a line of its own."""
        if self.prompt is not None:
            self.out.write(self.prompt)
            self.out.flush()
        self.at_prompt = True

    def show_arrived(self, replies: list[Reply]) -> None:
        """Show what arrived by itself: below the prompt line (the person may be typing on it), then the prompt again
        (what they typed so far stays in the terminal's line buffer: Enter still sends it)."""
        if self.at_prompt and self.prompt is not None:
            self.out.write("\n")
        self.show_replies(replies)
        if self.at_prompt and self.prompt is not None:
            self.out.write(self.prompt)
            self.out.flush()

    def show_replies(self, replies: list[Reply]) -> None:
        for reply in replies:
            self.show(render(reply))
            if reply.buttons:
                self.choices = list(reply.buttons)
            if reply.form is not None:
                self.filling = FormFilling(reply.form)
                prompt = self.filling.current
                if prompt:
                    self.show(prompt)

    def to_incoming(self, line: str) -> Incoming | None:
        """What a typed line means: a numbered choice, a form field, or a message."""
        text = line.strip()
        if self.filling is not None:
            return self._fill(text)
        if text.isdigit() and self.choices and 1 <= int(text) <= len(self.choices):
            button = self.choices[int(text) - 1]
            self.choices = []
            return self._incoming(action=Action(button.action, dict(button.value)))
        return self._incoming(text=text)

    def _fill(self, text: str) -> Incoming | None:
        assert self.filling is not None
        form = self.filling.form
        if text.lower() == "cancel" or self._is_command(text) or self._starts_over(text, form):
            self.filling = None  # one rule everywhere: a line that is exactly a command is that command
            return self._incoming(text=text)
        field_ = next(f for f in form.fields if f.name not in self.filling.values)
        value = "" if text == "-" else text
        if field_.options and value:
            # a choice is read as typed ("everyone", "2"), and one that is none of them is asked again at once
            # (walked 2026-12-07: "everyone" was refused only after every other field was filled in)
            picked = _option(value, field_.options)
            if picked is None:
                self.show(f"Please choose one of: {', '.join(field_.options)} (or its number).")
                self.show(self.filling.current or "")
                return None
            value = picked
        self.filling.values[field_.name] = value
        prompt = self.filling.current
        if prompt is not None:
            self.show(prompt)
            return None
        errors = form.validate(self.filling.values)
        if errors:
            for bad in errors:
                del self.filling.values[bad]
            self.show("\n".join(errors.values()))
            self.show(self.filling.current or "")
            return None
        values, self.filling = self.filling.values, None
        return self._incoming(action=Action(form.submit_action, {**form.context, **values}))

    def _is_command(self, text: str) -> bool:
        found = self.runtime.router.match(text)
        return found is not None and not found[0].takes_text

    def _starts_over(self, text: str, form: Form) -> bool:
        """A command with text that starts the form's work over (`Command.starts_over`: `announce NEW TEXT`)."""
        found = self.runtime.router.match(text)
        return found is not None and found[0].starts_over(form.submit_action)

    def _incoming(self, *, text: str = "", action: Action | None = None) -> Incoming:
        return Incoming(
            platform=PLATFORM,
            identity=self.identity,
            conversation=self.identity,
            text=text,
            action=action,
            name=self.user,
        )

    async def send(self, line: str) -> None:
        incoming = self.to_incoming(line)
        if incoming is None or (not incoming.text and incoming.action is None):
            return
        payload: dict[str, Any] = {"user": self.user, "text": incoming.text}
        if incoming.action is not None:
            payload["action"] = {"name": incoming.action.name, "value": incoming.action.value}
        self.show_replies((await self.engine.receive(Event(PLATFORM, None, payload), wait=True)).replies)

    async def deliver_due(self) -> int:
        """Print what the outbox holds for this person on the console and is due now; returns how many.

        The rows are printed, then marked sent while the lease is still ours (a chat killed in between
        prints them again in the next chat: the outbox's one rule, never lost, twice only on a crash).
        """
        if self.person_id is None:
            return 0
        db, clock = self.runtime.db, self.runtime.services.clock
        async with db.transaction() as session:
            rows = await Repositories(session).outbox.claim(
                now=clock.now(), lease=LEASE, owner=self.owner, platform=PLATFORM, person_id=self.person_id
            )
        fresh = [row for row in rows if row.id not in self.printed]
        for row in fresh:
            self.show_arrived([open_reply(row.payload, self.runtime.services.sealer)])
            self.printed.add(row.id or 0)
        if rows:
            async with db.transaction() as session:
                await Repositories(session).outbox.mark_many_sent(
                    [(row.id or 0, None) for row in rows], owner=self.owner, now=clock.now()
                )
        return len(fresh)

    async def run_due(self) -> int:
        """This person's due work (scheduled messages, reminders, expiries), then print what is due for them."""
        if self.scheduler is None and self.person_id is not None:
            self.scheduler = Scheduler(
                self.runtime.db, self.runtime.router, self.runtime.services, person_id=self.person_id
            )
        if self.scheduler is not None:
            await self.scheduler.run_once()
        return await self.deliver_due()

    async def keep_up(self, stop: asyncio.Event, every: float = DUE_EVERY) -> None:
        """Run `run_due` every `every` seconds until `stop` (a failed round is logged; the next one tries again)."""
        while not stop.is_set():
            try:
                await self.run_due()
            except Exception:
                log.exception("could not run this person's due work")
            try:
                await asyncio.wait_for(stop.wait(), timeout=every)
            except TimeoutError:
                pass


# What a person types to leave a terminal chat (as well as Ctrl-D): not a message for the bot, which would read
# "quit" as a misspelt "quiet" and answer with a practice.
LEAVE = frozenset({"quit", "exit", "/quit", "/exit", "/q", ":q"})


async def run_chat(
    runtime: Runtime,
    *,
    user: str,
    role: str | None,
    timezone: str | None,
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
    due_every: float = DUE_EVERY,
) -> None:
    """Chat until stdin ends, running this person's due work every `due_every` seconds meanwhile."""
    chat = ConsoleChat(runtime, user=user, out=out)
    person = await runtime.conversation.ensure_person(chat.identity, PLATFORM, name=user, role=role, timezone=timezone)
    chat.person_id = person.id
    if stdin.isatty():
        chat.prompt = PROMPT
        chat.show(
            f"LeadWell chat as {chat.identity} ({person.role}, {person.timezone}). "
            "Type “help”; “quit” or Ctrl-D leaves."
        )
    stop = asyncio.Event()
    worker = asyncio.create_task(chat.keep_up(stop, due_every))
    try:
        while True:
            chat.ask_for_line()
            line = await asyncio.to_thread(stdin.readline)
            chat.at_prompt = False
            if not line or line.strip().casefold() in LEAVE:
                break
            await chat.send(line)
    finally:
        stop.set()
        await worker


def _option(typed: str, options: tuple[str, ...]) -> str | None:
    """The option `typed` names, whatever its case, or by its number (1 for the first); None if none."""
    said = typed.strip().casefold()
    if said.isdigit() and 1 <= int(said) <= len(options):
        return options[int(said) - 1]
    return next((option for option in options if option.casefold() == said), None)
