"""The terminal adapter: lines in, plain-text replies out, buttons as numbered choices.

Interactive when stdin is a terminal; with a pipe it reads one message a line and
prints each reply, so it can be scripted (`printf 'help\\n' | leadwell chat`).
While it runs, messages the outbox holds for this console person are printed as
they fall due. A form is filled in one field a line.
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
from handlers.sealing import open_reply
from storage.repositories import Repositories

log = logging.getLogger(__name__)


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

    def show(self, text: str) -> None:
        self.out.write(text.rstrip() + "\n\n")
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
        if text.lower() == "cancel" or self._is_command(text):
            self.filling = None  # one rule everywhere: a line that is exactly a command is that command
            return self._incoming(text=text)
        name = next(f.name for f in form.fields if f.name not in self.filling.values)
        self.filling.values[name] = "" if text == "-" else text
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
        """Print what the outbox holds for this person and is due now; returns how many."""
        if self.person_id is None:
            return 0
        db, clock, owner = self.runtime.db, self.runtime.services.clock, f"console:{os.getpid()}"
        async with db.transaction() as session:
            rows = await Repositories(session).outbox.claim(
                now=clock.now(),
                lease=timedelta(seconds=30),
                owner=owner,
                platform=PLATFORM,
                person_id=self.person_id,
            )
        for row in rows:
            self.show_replies([open_reply(row.payload, self.runtime.services.sealer)])
            async with db.transaction() as session:
                await Repositories(session).outbox.mark_sent(row.id or 0, owner=owner, now=clock.now())
        return len(rows)

    async def poll_outbox(self, stop: asyncio.Event, every: float = 1.0) -> None:
        while not stop.is_set():
            try:
                await self.deliver_due()
            except Exception:
                log.exception("could not read the outbox")
            try:
                await asyncio.wait_for(stop.wait(), timeout=every)
            except TimeoutError:
                pass


async def run_chat(
    runtime: Runtime,
    *,
    user: str,
    role: str | None,
    timezone: str | None,
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
) -> None:
    chat = ConsoleChat(runtime, user=user, out=out)
    person = await runtime.conversation.ensure_person(chat.identity, PLATFORM, name=user, role=role, timezone=timezone)
    chat.person_id = person.id
    interactive = stdin.isatty()
    if interactive:
        chat.show(f"LeadWell chat as {chat.identity} ({person.role}, {person.timezone}). Type “help”; Ctrl-D leaves.")
    stop = asyncio.Event()
    poller = asyncio.create_task(chat.poll_outbox(stop))
    try:
        while True:
            if interactive:
                out.write("you › ")
                out.flush()
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                break
            await chat.send(line)
    finally:
        stop.set()
        await poller
