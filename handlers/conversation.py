"""One turn of conversation: register the person, pick the handler, run it in one transaction.

Order of precedence for what a message means:
1. a button press goes to its action (the yes/no of a confirmation to the question asked);
2. text that is a command runs the command, cancelling anything the bot was waiting for;
3. otherwise, if the bot asked for the next message, the text is that answer;
4. otherwise the text is a question for the answerer, or, without one, gets help.

When the event came through the inbox, it is marked done in the same
transaction as the handler's effects, so a retry is never handled twice.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from handlers.context import CONFIRM_ACTION, Context, Services
from handlers.help import help_reply, welcome_reply
from handlers.messages import Incoming, Reply
from handlers.router import Router
from storage.db import Database
from storage.models import Person
from storage.repositories import Repositories

log = logging.getLogger(__name__)

MAX_TEXT = 4000
YES = re.compile(r"(y|yes|yeah|yep|ok|okay|confirm|sure|go ahead|send( it)?)[.!]*", re.IGNORECASE)
NO = re.compile(r"(n|no|nope|stop|don'?t|do not|not now)[.!]*", re.IGNORECASE)
SORRY = Reply(
    "Sorry, something went wrong on my side and I couldn't finish that. "
    "Nothing you sent has been lost; please try again in a moment."
)


class AlreadyHandled(Exception):
    """The inbox says another worker finished this event first."""


@dataclass
class ReplyQueue:
    """Keep a turn's replies in the outbox, in the turn's own transaction, leased to the caller.

    The caller (an adapter) sends them straight after the commit and marks
    them sent; if it dies first, the lease runs out and the sender worker
    delivers them. So an answer is never lost between commit and send.

    Args:
        key: unique per inbound event (e.g. `slack:Ev123`); reply n gets `reply:<key>:<n>`.
        target: where the replies go on the platform (a channel, a thread, a conversation).
        owner: who holds the lease.
        lease: how long before the sender worker may take the replies over.
    """

    key: str
    target: dict[str, Any]
    owner: str
    lease: timedelta = timedelta(seconds=30)
    queued: list[tuple[int, Reply]] = field(default_factory=list)

    async def store(self, repos: Repositories, person: Person, replies: list[Reply], now: datetime) -> None:
        for n, reply in enumerate(replies):
            message_id = await repos.outbox.enqueue(
                dedupe_key=f"reply:{self.key}:{n}",
                purpose="reply",
                person_id=person.id or 0,
                platform=person.platform,
                payload={**reply.to_dict(), "target": self.target},
                due_at=now,
                now=now,
                lease=(self.owner, now + self.lease),
            )
            if message_id is not None:
                self.queued.append((message_id, reply))


def clean_text(text: str) -> str:
    """User text made safe to store and match: no NULs or control characters, bounded length."""
    text = "".join(ch for ch in text if ch in "\n\t" or (ord(ch) >= 32 and ord(ch) != 127))
    return text.strip()[:MAX_TEXT]


def as_list(result: Reply | list[Reply]) -> list[Reply]:
    return list(result) if isinstance(result, list) else [result]


class Conversation:
    """Turns an `Incoming` into replies, with every effect in one transaction.

    Args:
        db: the database.
        router: what the capability modules registered.
        services: clock, settings and content.
    """

    def __init__(self, db: Database, router: Router, services: Services) -> None:
        self.db = db
        self.router = router
        self.services = services

    async def ensure_person(
        self,
        identity: str,
        platform: str,
        *,
        name: str | None = None,
        email: str | None = None,
        role: str | None = None,
        timezone: str | None = None,
    ) -> Person:
        """Register someone before they write (the terminal's --role/--tz, an installation event)."""
        async with self.db.transaction() as session:
            repos = Repositories(session)
            person, _ = await repos.people.register(
                identity=identity,
                platform=platform,
                now=self.services.clock.now(),
                name=name,
                email=email,
                timezone=timezone or self.services.config.default_timezone,
                role=role or self._configured_role(identity, email),
            )
            if timezone and person.timezone != timezone:
                await repos.people.set_timezone(person, timezone)
            return person

    async def handle(
        self, incoming: Incoming, *, inbox_id: int | None = None, queue: ReplyQueue | None = None
    ) -> list[Reply]:
        """Handle one message; returns the replies to show (nothing if it was handled before).

        With a `queue`, the replies are also kept in the outbox in the same
        transaction (see `ReplyQueue`).
        """
        incoming = Incoming(**{**incoming.__dict__, "text": clean_text(incoming.text)})
        for attempt in (1, 2):
            try:
                return await self._turn(incoming, inbox_id, queue)
            except AlreadyHandled:
                return []
            except IntegrityError:
                if queue is not None:
                    queue.queued.clear()
                if attempt == 1:
                    continue  # two first contacts raced to register the person; the retry finds them
                log.exception("handler failed twice on a conflict (platform=%s)", incoming.platform)
            except Exception:
                # The transaction rolled back: nothing half-done is kept. Never log the text.
                log.exception("handler failed (platform=%s, action=%s)", incoming.platform, _action_name(incoming))
            break
        if inbox_id is not None:
            await self._record_failure(inbox_id)
        return [SORRY]

    async def _turn(self, incoming: Incoming, inbox_id: int | None, queue: ReplyQueue | None) -> list[Reply]:
        async with self.db.transaction() as session:
            repos = Repositories(session)
            now = self.services.clock.now()
            if inbox_id is not None and not await repos.inbox.finish(inbox_id, now):
                raise AlreadyHandled
            person, first = await repos.people.register(
                identity=incoming.identity,
                platform=incoming.platform,
                now=now,
                name=incoming.name,
                email=incoming.email,
                timezone=self.services.config.default_timezone,
                role=self._configured_role(incoming.identity, incoming.email),
            )
            ctx = Context(
                incoming=incoming,
                person=person,
                repos=repos,
                services=self.services,
                now=now,
                first_contact=first,
                pending=await repos.pending.current(person.id or 0, now),
            )
            for hook in self.router.turn_hooks:
                await hook(ctx)
            replies = await self._dispatch(ctx)
            if queue is not None:
                await queue.store(repos, person, replies, now)
            return replies

    def _configured_role(self, identity: str, email: str | None) -> str | None:
        admins = self.services.config.admins
        if identity in admins or (email and email.strip().lower() in admins):
            return "admin"
        return None

    async def _record_failure(self, inbox_id: int) -> None:
        async with self.db.transaction() as session:
            await Repositories(session).inbox.fail(inbox_id, "handler raised", self.services.clock.now())

    async def _dispatch(self, ctx: Context) -> list[Reply]:
        incoming = ctx.incoming
        replies: list[Reply]
        greeted = False
        if incoming.action is not None:
            replies = await self._run_action(ctx)
        else:
            found = self.router.match(incoming.text)
            if found is not None and found[0].allowed_for(ctx.person.role):
                command, match = found
                await self._cancel_pending(ctx)
                greeted = command.name in ("hello", "help")
                replies = as_list(await command.handler(ctx, match))
            elif found is not None:
                await ctx.audit("command.refused", target=found[0].name, outcome="refused")
                replies = [Reply(f"Sorry, '{found[0].name}' is only for {_roles(found[0].roles)}.")]
            elif ctx.pending is not None:
                replies = await self._run_follow_up(ctx, incoming.text)
            else:
                replies = await self._run_fallback(ctx)
        if ctx.first_contact and not greeted:
            replies.insert(0, welcome_reply(ctx))
        return replies

    async def _run_action(self, ctx: Context) -> list[Reply]:
        action = ctx.incoming.action
        assert action is not None
        if action.name == CONFIRM_ACTION:
            kind = action.value.get("kind")
            if ctx.pending is None or ctx.pending.kind != kind:
                return [Reply("That question has expired or was already answered. Nothing was changed.")]
            return await self._run_follow_up(ctx, str(action.value.get("answer", "")))
        handler = self.router.actions.get(action.name)
        if handler is None:
            return [help_reply(ctx, self.router, intro="That button no longer does anything. Here is what I can do:")]
        await self._cancel_pending(ctx)
        return as_list(await handler(ctx))

    async def _cancel_pending(self, ctx: Context) -> None:
        """Any command cancels what the bot was waiting for."""
        if ctx.pending is not None:
            await ctx.repos.pending.clear(ctx.person_id)
            ctx.cancelled, ctx.pending = ctx.pending, None

    async def _run_follow_up(self, ctx: Context, text: str) -> list[Reply]:
        pending = ctx.pending
        assert pending is not None
        handler: Callable[[Context, str], Awaitable[Reply | list[Reply]]] | None
        handler = self.router.follow_ups.get(pending.kind)
        await ctx.repos.pending.clear(ctx.person_id)
        if handler is None:
            return await self._run_fallback(ctx)
        if pending.data.get("confirm"):
            if YES.fullmatch(text.strip()):
                text = "yes"
            elif NO.fullmatch(text.strip()):
                text = "no"
            else:
                # Not an answer to the question: keep waiting for one.
                await ctx.repos.pending.open(
                    ctx.person_id, pending.kind, pending.data, now=ctx.now, expires_at=pending.expires_at
                )
                return [Reply("Please answer yes or no (or type another command to leave this).")]
        return as_list(await handler(ctx, text))

    async def _run_fallback(self, ctx: Context) -> list[Reply]:
        if self.router.fallback_handler is not None and ctx.incoming.text:
            return as_list(await self.router.fallback_handler(ctx))
        return [help_reply(ctx, self.router, intro="I didn't recognise that. Here is what I can do:")]


def _action_name(incoming: Incoming) -> str:
    return incoming.action.name if incoming.action else "-"


def _roles(roles: frozenset[str] | None) -> str:
    return " and ".join(sorted(roles or ())) + "s"
