"""One turn of conversation: register the person, pick the handler, run it in one transaction.

Every text a person sends (typed, or a form's fields) first passes the safeguarding
check (`handlers.safeguarding`): support that fits goes first, privately, and the
message is then handled as usual.

Order of precedence for what a message means:
1. a button press goes to its action (the yes/no of a confirmation to the question asked);
2. a line that is exactly a command runs the command; it cancels what the bot was waiting for,
   saying so, unless it only shows something (help, progress, the home tab). While the bot waits,
   a command that carries free text of its own ("ask …", "checkin …") is not one: the line is the
   answer;
3. otherwise, if the bot asked for the next message, the text is that answer (a validation message
   keeps the wait open);
4. otherwise a short line that picks one of the buttons last offered ("done", "2", "not today") is
   that button (`handlers.choices`);
5. otherwise a capability still waiting for free text takes it (a check-in sent earlier: the text
   is its reflection);
6. otherwise a command asked for in the person's own words runs, or near misses are offered back as
   "Did you mean …?" (`handlers.intents`);
7. otherwise the text is a question for the answerer, or, without one, gets help.

When the event came through the inbox, it is marked done in the same
transaction as the handler's effects, so a retry is never handled twice.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError

from handlers.choices import MAX_WORDS, offer_choices, offered, pick
from handlers.context import Context, Services, yes_no_buttons
from handlers.follow_ups import DISMISSES, Kept, after_support, remembered
from handlers.help import did_you_mean, help_reply, small_talk_reply, welcome_reply
from handlers.messages import Action, Button, Incoming, Reply
from handlers.names import ActionId, RoleSource
from handlers.roles import audit_role_changes
from handlers.router import Command, Router
from handlers.safeguarding import read_turn, support_for, turn_texts
from handlers.sealing import Sealer, seal_reply
from storage.db import Database
from storage.models import Person
from storage.repositories import Repositories
from storage.repositories.people import Arrival

if TYPE_CHECKING:  # the detector is built only when the content is first used
    from knowledge.safeguarding import Assessment

log = logging.getLogger(__name__)

MAX_TEXT = 4000
SNOOZE = re.compile(r"\b(?:snooze|remind me (?:later|tomorrow|tmrw)|later pls|till tomorrow|till tmrw)\b", re.I)
NUDGES_DO_NOT_SNOOZE = (
    "A practice can't be snoozed: “not today” lets this one go, and “nudge” brings a new one whenever you like "
    "(or set them for a time: “nudges every weekday at 9am”)."
)
# The buttons that belong to one answer (its More, its related topics): spent once a later reply has none of its own
ANSWER_BUTTONS = frozenset({ActionId.ANSWER_MORE, ActionId.TOPIC_SHOW})
# one or more of these ("yep go ahead", "yes please send it", "no thanks")
YES = re.compile(
    r"(?:(?:y|yes|yeah|yep|yup|ok|okay|confirm|sure|go ahead|go for it|do it|send(?: it)?|please|pls)[\s,.!]*)+",
    re.IGNORECASE,
)
NO = re.compile(r"(?:(?:n|no|nope|stop|don'?t|do not|not now|no thanks|leave it)[\s,.!]*)+", re.IGNORECASE)
SORRY = Reply(
    "Sorry, something went wrong on my side and I couldn't finish that. "
    "Nothing you sent has been lost; please try again in a moment."
)


@dataclass(frozen=True)
class TurnRequest:
    """One message to handle: what came in, its inbox row, and where its replies are kept."""

    incoming: Incoming
    inbox_id: int | None = None
    queue: ReplyQueue | None = None


@dataclass
class ReplyQueue:
    """Keep a turn's replies in the outbox, in the turn's own transaction, leased to the caller.

    The caller (an adapter) sends them straight after the commit and marks
    them sent; if it dies first, the lease runs out and the sender worker
    delivers them. So an answer is never lost between commit and send. They
    wait sealed, and their payload is dropped once sent (`handlers.sealing`).

    Args:
        key: unique per inbound event (e.g. `slack:Ev123`); reply n gets `reply:<key>:<n>`, and every
            reply has the key as its outbox reference.
        target: where the replies go on the platform (a channel, a thread, a conversation).
        owner: who holds the lease.
        lease: how long before the sender worker may take the replies over.
    """

    key: str
    target: dict[str, Any]
    owner: str
    lease: timedelta = timedelta(seconds=30)
    queued: list[tuple[int, Reply]] = field(default_factory=list)

    def messages(
        self, person: Person, replies: list[Reply], now: datetime, sealer: Sealer | None = None
    ) -> list[tuple[str, Reply, dict[str, Any]]]:
        """The outbox rows for a turn's replies: (dedupe key, reply, row), each payload sealed: a reply
        may carry what the person wrote (their reflections read back, a support reply)."""
        return [
            (
                key := f"reply:{self.key}:{n}",
                reply,
                {
                    "dedupe_key": key,
                    "purpose": "reply",
                    "person_id": person.id or 0,
                    "platform": person.platform,
                    "payload": seal_reply(reply, self.target, sealer),
                    "due_at": now,
                    "reference": self.key,
                },
            )
            for n, reply in enumerate(replies)
        ]


async def store_replies(
    repos: Repositories,
    turns: list[tuple[ReplyQueue, Person, list[Reply]]],
    now: datetime,
    sealer: Sealer | None = None,
) -> None:
    """Keep the replies of several turns in the outbox with one statement (each queue's rows leased to it)."""
    by_owner: dict[tuple[str, timedelta], list[tuple[ReplyQueue, str, Reply, dict[str, Any]]]] = {}
    for queue, person, replies in turns:
        for key, reply, row in queue.messages(person, replies, now, sealer):
            by_owner.setdefault((queue.owner, queue.lease), []).append((queue, key, reply, row))
    for (owner, lease), rows in by_owner.items():
        created = await repos.outbox.enqueue_many([row for *_, row in rows], now=now, lease=(owner, now + lease))
        for queue, key, reply, _ in rows:
            if key[:200] in created:
                queue.queued.append((created[key[:200]], reply))


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
                role_source=RoleSource.CHAT if role else RoleSource.SETTINGS,  # the terminal's --role: chosen
            )
            await audit_role_changes(repos, self.services.clock.now())
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
        return (await self.handle_many([TurnRequest(incoming, inbox_id, queue)]))[0]

    async def handle_many(self, requests: list[TurnRequest]) -> list[list[Reply]]:
        """Handle messages from different people in one transaction (how turns run under load).

        Each gets exactly the replies `handle` would give it. If any of them fails, nothing of the
        batch is kept and each is handled again on its own, so one failure costs nobody else an answer.
        """
        requests = [replace(r, incoming=replace(r.incoming, text=clean_text(r.incoming.text))) for r in requests]
        if len({r.incoming.identity for r in requests}) != len(requests):
            raise ValueError("a batch holds at most one message per person (their order matters)")
        if len(requests) > 1:
            try:
                return await self._turns(requests)
            except Exception:  # noqa: BLE001 - rolled back; the single path below logs and records the cause
                for request in requests:
                    if request.queue is not None:
                        request.queue.queued.clear()
        return [await self._handle_one(request) for request in requests]

    async def _handle_one(self, request: TurnRequest) -> list[Reply]:
        for attempt in (1, 2):
            try:
                return (await self._turns([request]))[0]
            except IntegrityError:
                if request.queue is not None:
                    request.queue.queued.clear()
                if attempt == 1:
                    continue  # two first contacts raced to register the person; the retry finds them
                log.exception("handler failed twice on a conflict (platform=%s)", request.incoming.platform)
            except Exception:
                # The transaction rolled back: nothing half-done is kept. Never log the text.
                log.exception(
                    "handler failed (platform=%s, action=%s)", request.incoming.platform, _action_name(request.incoming)
                )
            break
        if request.inbox_id is not None:
            await self._record_failure(request.inbox_id)
        return [SORRY]

    async def _turns(self, requests: list[TurnRequest]) -> list[list[Reply]]:
        """Run turns of different people in one transaction: one query each for the inbox, the people
        and what the bot waits for, one insert for every reply; the handlers in between, in order."""
        async with self.db.transaction() as session:
            repos = Repositories(session)
            now = self.services.clock.now()
            finished = await repos.inbox.finish_many([r.inbox_id for r in requests if r.inbox_id is not None], now)
            live = [r for r in requests if r.inbox_id is None or r.inbox_id in finished]  # else handled already
            if not live:
                return [[] for _ in requests]
            people = await repos.people.register_many([self._arrival(r.incoming) for r in live], now=now)
            await audit_role_changes(repos, now)
            pending = await repos.pending.current_many([person.id or 0 for person, _ in people], now)
            results: dict[int, list[Reply]] = {}
            queued: list[tuple[ReplyQueue, Person, list[Reply]]] = []
            for request, (person, first) in zip(live, people, strict=True):
                if request.incoming.address is not None:
                    await repos.people.save_address(person, request.incoming.platform, request.incoming.address, now)
                ctx = Context(
                    incoming=request.incoming,
                    person=person,
                    repos=repos,
                    services=self.services,
                    now=now,
                    first_contact=first,
                    pending=pending.get(person.id or 0),
                )
                for hook in self.router.turn_hooks:
                    await hook(ctx)
                results[id(request)] = replies = await self._dispatch(ctx)
                kept = await offer_choices(repos, person.id or 0, replies, now, self.services.sealer)
                if not kept and ctx.incoming.action is not None:
                    await repos.choices.clear(person.id or 0)  # a choice was made: the old buttons are spent
                elif not kept and replies:
                    await self._answers_moved_on(ctx)
                if request.queue is not None:
                    queued.append((request.queue, person, replies))
            await store_replies(repos, queued, now, self.services.sealer)
            return [results.get(id(r), []) for r in requests]

    def _arrival(self, incoming: Incoming) -> Arrival:
        return Arrival(
            identity=incoming.identity,
            platform=incoming.platform,
            name=incoming.name,
            email=incoming.email,
            timezone=self.services.config.default_timezone,
            role=self._configured_role(incoming.identity, incoming.email),
        )

    def _configured_role(self, identity: str, email: str | None) -> str | None:
        admins = self.services.config.admins
        if identity in admins or (email and email.strip().lower() in admins):
            return "admin"
        return None

    async def _record_failure(self, inbox_id: int) -> None:
        async with self.db.transaction() as session:
            await Repositories(session).inbox.fail(inbox_id, "handler raised", self.services.clock.now())

    async def _dispatch(self, ctx: Context) -> list[Reply]:
        texts = turn_texts(ctx)
        looked: list[Kept | None] = []

        async def before() -> Kept | None:
            """What the turns before left (`remembered`: a query and an unsealing), read once in this turn."""
            if not looked:
                looked.append(await remembered(ctx))
            return looked[0]

        read = read_turn(ctx, texts)  # safeguarding first: before what the bot waits for, before any command
        if read is not None and (read.by_meaning or read.by_model or read.unsure):
            read = _read_after_support(read, await before(), " ".join(texts))
        elif read is not None and _no_more_than(read, await before()):
            read = None  # the same list again minutes later: the bot is still there, and the question is read with it
        support = support_for(ctx, read, texts)
        if ctx.supported:  # a follow-up to support is never read with an older question (handlers.follow_ups)
            await after_support(ctx)
        incoming = ctx.incoming
        replies: list[Reply]
        if incoming.action is not None:
            replies = await self._run_action(ctx)
        else:
            found = self.router.match(incoming.text)
            if found is not None and ctx.pending is not None and found[0].takes_text and not found[0].starts_over(
                ctx.pending.kind
            ):
                found = None  # only a line that is exactly a command is one while the bot waits for an answer
            if found is None and ctx.pending is not None and ctx.pending.kind in self.router.optional_follow_ups:
                await self._give_way_to_own_words(ctx)  # an optional answer ("how did it go?") is no command
            elif found is None and ctx.pending is not None and ctx.pending.kind in self.router.commanded_follow_ups:
                await self._give_way_to_own_words(ctx, suggested=False)
            picked = (
                await self._run_choice(ctx) if ctx.pending is None and (found is None or found[0].takes_text) else []
            )
            if picked:  # "did it" answers the nudge just sent, not the loose "did <practice>"
                replies = picked
            elif found is not None:
                replies = await self._run_command(ctx, *found)
            elif ctx.pending is not None:
                replies = await self._run_pending_choice(ctx) or await self._run_follow_up(ctx, incoming.text)
            else:
                # after support for a risk to life no command is read into the words of the cry for help: "gave my
                # locker key back … wont need anything after tonight. how do i cancel my checkins" had set a check-in
                # for 18:00, "thank u for the nudges … i wont be needing them after tonight" a nudge (walked
                # 2026-12-07); only a question asked apart from it is answered (`handlers.ask.answer_replies`)
                # nor is waving it away, soon after support for the writer, small talk or a command ("its fine",
                # "forget it": handlers.follow_ups.DISMISSES); the answerer says the bot is still there;
                # nor is a loose command read into any message given support, or into what they say soon after ("my
                # mum passed on tuesday" had had a menu asking whether "checkin on tuesday" was meant, "can i get a day
                # off for that", after a pet's death, "checkin day", "could i have done something", after a colleague's
                # suicide, "I don't know a practice called 'something'": walks E and G, 2026-12-07)
                kept = None if ctx.supported else _support_given(await before())
                soon = kept is not None
                own = kept is not None and kept.own_support is not None
                waved = own and DISMISSES.fullmatch(incoming.text) is not None
                replies = (
                    await self._run_open_answers(ctx)
                    or (_small_talk(incoming.text) if not ctx.supported and not waved else [])
                    or (await self._run_intent(ctx) if not ctx.supported and not soon else [])
                    or await self._run_fallback(ctx)
                )
        if ctx.first_contact and ctx.ran not in ("hello", "help"):
            replies.insert(0, welcome_reply(ctx))
        return support.around(replies, together=incoming.private)

    async def _give_way_to_own_words(self, ctx: Context, *, suggested: bool = True) -> None:
        """Stop waiting for an optional answer when the text reads as a command in the person's own words
        (or nearly, unless not `suggested`: "cancel all"); the intent layer then takes it."""
        understood = self.router.understand(ctx.incoming.text)
        if understood.run or (suggested and understood.suggest):
            await self._cancel_pending(ctx)

    async def _run_command(self, ctx: Context, command: Command, match: re.Match[str]) -> list[Reply]:
        """Run a command the person may run (it cancels what the bot waited for, unless it only shows something)."""
        if not command.allowed_for(ctx.person.role):
            await ctx.audit("command.refused", target=command.name, outcome="refused")
            return [Reply(f"Sorry, '{command.name}' is only for {_roles(command.roles)}.")]
        if not command.keeps_pending:
            await self._cancel_pending(ctx)
        ctx.ran = command.name
        return self._cancel_note(ctx) + as_list(await command.handler(ctx, match))

    async def _answers_moved_on(self, ctx: Context) -> None:
        """After a reply with no buttons, an earlier answer's buttons (its More, its topics) are no longer what "more"
        or "1" points to: "HLM vs the new framework" then "more" had opened the More of the answer before it. A
        nudge's or a check-in's buttons stay: "done" still records the practice after a question in between."""
        buttons = await self._offered(ctx)
        if buttons and all(button.action in ANSWER_BUTTONS for button in buttons):
            await ctx.repos.choices.clear(ctx.person_id)

    async def _offered(self, ctx: Context) -> list[Button]:
        """The person's offered buttons, read once a turn (a short line may be tried against them, and a reply with no
        buttons then looks whether they were an answer's)."""
        if ctx.offered is None:
            ctx.offered = await offered(ctx.repos, ctx.person_id, ctx.now, self.services.sealer)
        return ctx.offered

    async def _run_choice(self, ctx: Context) -> list[Reply]:
        """A typed pick of the buttons last offered ("done", "2", "not today"): as if the button was pressed."""
        if len(ctx.incoming.text.split()) > MAX_WORDS:
            return []
        buttons = await self._offered(ctx)
        replies = await self._press_typed(ctx, buttons, self.router.action_words)
        if not replies and SNOOZE.search(ctx.incoming.text) and any(b.action == ActionId.NUDGE_DONE for b in buttons):
            return [Reply(NUDGES_DO_NOT_SNOOZE)]  # walked 2026-12-07: "snooze this one till tmrw pls" was declined
        return replies

    async def _run_pending_choice(self, ctx: Context) -> list[Reply]:
        """A typed pick ("1", "the second one", "yes") of the buttons that answer what the bot waits for: as if pressed
        (walked 2026-12-07: an admin back in a new chat typed "1" to "Who should get it?", and "2" to a preview's Yes
        and No, and neither was understood)."""
        if ctx.pending is None or len(ctx.incoming.text.split()) > MAX_WORDS:
            return []
        kind = ctx.pending.kind
        buttons = await self._offered(ctx)
        answering = [b for b in buttons if b.action == ActionId.PENDING_ANSWER and b.value.get("kind") == kind]
        return await self._press_typed(ctx, answering, {})

    async def _press_typed(
        self, ctx: Context, buttons: list[Button], words: Mapping[str, tuple[str, ...]]
    ) -> list[Reply]:
        """The button of `buttons` the typed text picks (`handlers.choices.pick`), run as if pressed; [] if none."""
        button = pick(ctx.incoming.text, buttons, words) if buttons else None
        if button is None:
            return []
        ctx.incoming = replace(ctx.incoming, text="", action=Action(button.action, dict(button.value)))
        return await self._run_action(ctx)

    async def _run_intent(self, ctx: Context) -> list[Reply]:
        """A command in the person's own words (`handlers.intents`); or "Did you mean …?"; [] for a question."""
        understood = self.router.understand(ctx.incoming.text)
        found = self.router.match(understood.run) if understood.run else None
        if found is not None and not found[0].allowed_for(ctx.person.role):
            return []  # own words read as a command the person may not run are not refused: the answerer reads them
        if found is not None:
            return await self._run_command(ctx, *found)
        if understood.suggest:
            return [did_you_mean(self.router, ctx.incoming.text, understood.suggest)]
        return []

    async def _run_action(self, ctx: Context) -> list[Reply]:
        action = ctx.incoming.action
        assert action is not None
        if action.name == ActionId.PENDING_ANSWER:
            kind = action.value.get("kind")
            if ctx.pending is None or ctx.pending.kind != kind:
                return [Reply("That question has expired or was already answered. Nothing was changed.")]
            return await self._run_follow_up(ctx, str(action.value.get("answer", "")))
        if action.name == ActionId.RUN_COMMAND:  # a "Did you mean …?" button: the command it names
            found = self.router.match(str(action.value.get("text", "")))
            if found is None:
                return [help_reply(ctx, self.router, intro="That choice no longer works. Here is what I can do:")]
            return await self._run_command(ctx, *found)
        if action.name == ActionId.BUTTON_REFUSED:  # the adapter could not open the button's token
            reason = "expired" if action.value.get("reason") == "expired" else "invalid"
            await ctx.audit("action.refused", target="-", outcome="refused", detail={"reason": reason})
            intro = "That button has expired" if reason == "expired" else "I couldn't check that button"
            return [help_reply(ctx, self.router, intro=f"{intro}, so nothing was changed. Here is what I can do:")]
        handler = self.router.actions.get(action.name)
        if handler is None:
            return [help_reply(ctx, self.router, intro="That button no longer does anything. Here is what I can do:")]
        if not self.router.action_allowed(action.name, ctx.person.role):
            await ctx.audit("action.refused", target=action.name, outcome="refused", detail={"role": ctx.person.role})
            roles = self.router.action_roles.get(action.name)
            return [Reply(f"Sorry, that button is only for {_roles(roles)}. Nothing was changed.")]
        if action.name not in self.router.view_only_actions:
            await self._cancel_pending(ctx)
        return self._cancel_note(ctx) + as_list(await handler(ctx))

    def _cancel_note(self, ctx: Context) -> list[Reply]:
        """What the person is told when a command cancelled what the bot was waiting for."""
        note = self.router.cancel_notes.get(ctx.cancelled.kind) if ctx.cancelled is not None else None
        return [Reply(note)] if note else []

    async def _run_open_answers(self, ctx: Context) -> list[Reply]:
        """Free text some capability is still waiting for (a check-in sent earlier): the first taker's replies."""
        for answer in self.router.open_answers:
            taken = await answer(ctx, ctx.incoming.text)
            if taken is not None:
                return as_list(taken)
        return []

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
            buttons = yes_no_buttons(pending.kind)  # a typed "2" was read as pressed already (_run_pending_choice)
            if YES.fullmatch(text.strip()):
                text = "yes"
            elif NO.fullmatch(text.strip()):
                text = "no"
            else:
                # Not an answer to the question: keep waiting for one.
                await ctx.repos.pending.open(
                    ctx.person_id, pending.kind, pending.data, now=ctx.now, expires_at=pending.expires_at
                )
                # walked 2026-12-07: an admin coming back to a preview left waiting typed a new announcement and got
                # "Please answer yes or no" six times, not knowing what was asked
                asked = str(pending.data.get("asked") or "")
                about = f" to this: {asked}" if asked else ""
                hint = f" {pending.data['hint']}" if pending.data.get("hint") else ""
                again = f"Please answer yes or no{about} (“cancel” stops here).{hint}"
                return [Reply(again, buttons=buttons)]
        return as_list(await handler(ctx, text))

    async def _run_fallback(self, ctx: Context) -> list[Reply]:
        if self.router.fallback_handler is not None and ctx.incoming.text:
            return as_list(await self.router.fallback_handler(ctx))
        return [help_reply(ctx, self.router, intro="I didn't recognise that. Here is what I can do:")]


def _action_name(incoming: Incoming) -> str:
    return incoming.action.name if incoming.action else "-"


def _roles(roles: frozenset[str] | None) -> str:
    return " and ".join(sorted(roles or ())) + "s"


# Someone else's words reported ("he said nobody would believe me anyway"): what a model reads in them is not the
# writer's own risk (walk E, 2026-12-07: after sexual harassment by a manager it had had the support for suicidal
# feelings)
REPORTS_WORDS = re.compile(
    r"^\W*(?:and |but |then |now )?(?:he|she|they|my manager|my boss|the manager|the sister|the nic|the consultant)"
    r"(?:'s| has| had| just| even| always| keeps?)? ?(?:said|says|saying|told me|tells me|texted|messaged|"
    r"threatened)\b",
    re.IGNORECASE,
)


def _read_after_support(read: Assessment, kept: Kept | None, text: str = "") -> Assessment | None:
    """What a model read (the meaning model, or a word model: no phrase or cue found it), soon after support
    (`handlers.follow_ups.after_support`). After support for someone else at risk to their life: a risk to life is
    about them, not the writer ("what do i actually say to her? i dont want to make it worse by asking"). After other
    support for someone else: no new support but the next step for them or the answer ("she asked me not to tell
    anyone", "i dont want to get her in trouble", "she's at work now and wants to carry on like normal" had had the
    support for the writer's own dark thoughts). After support for the writer: no second, hedged list ("I may be
    reading too much", after they had told of a night on a car park roof) but the line that says the bot is still
    there, unless it reads a risk to life after lesser support (not after abuse or assault of the writer: "i dont
    want to go to police" after a rape had had the support for suicidal feelings). What a phrase or cue reads always
    counts. Walked
    2026-12-07."""
    if kept is None:
        return read
    urgent = read.level == "risk_to_life"
    if kept.someone_at_risk:
        return None  # what to do next for them (`at_risk_next`), not the same support again: "she asked me not to tell
        # anyone" had had the whole block twice (walk E, 2026-12-07); what a phrase reads still counts
    if kept.someone:
        return None  # the next step for them, or the answer: a meaning read alone had escalated "she doesnt want to
        # report it" (after a colleague's assault) to a risk to her life
    if kept.own_support is not None and (kept.urgent or not urgent or kept.harm):
        return None  # ("i have the insulin at work" after thoughts of overdosing had had the hedged line: walk C)
    if kept.own_support is not None and (read.unsure or REPORTS_WORDS.search(text)):
        return None  # the line that says the bot is still there, not the unsure line ("idk if i can go back tmrw"
        # after the distress support had had it: walk E, 2026-12-07), nor a risk read in someone else's words
    return read


def _no_more_than(read: Assessment, kept: Kept | None) -> bool:
    """Whether what a phrase read is no more than the support for the writer just given: their own, at the same level
    or a lesser one (a risk to life always counts), about nothing new (no other first route). "what if i break down in
    front of the parents", after a son's death, and "i feel numb", after a caller's suicide, had had the same list a
    second time (walk E, 2026-12-07)."""
    from knowledge.signposts import LEVELS  # loaded with the signposts already

    if kept is None or kept.own_support is None or read.gentle or read.level == LEVELS[0]:
        return False
    if read.third_person and kept.harm is None and not (kept.at_work and read.level == "concern"):
        return False  # (after their own abuse, "he's not usually like that, he's just stressed" is about him: walk G)
    # … but after support that told of how someone at work treats the writer, "shes a b7 and everyone is scared of her"
    # is the same concern, not one they help someone else raise (walk K, 2026-12-08)
    given = LEVELS[0] if kept.own_support == LEVELS[0] else kept.own_level
    if given not in LEVELS or LEVELS.index(read.level) < LEVELS.index(given):
        return False
    return all(route == kept.harm for route in read.first_routes)


def _support_given(kept: Kept | None) -> Kept | None:
    """`kept` when it is support given in the last FOLLOW_UP_WINDOW, for the writer or for someone else at risk or
    harmed; None otherwise (a question kept, even one asked after support for helping, is not support)."""
    given = kept is not None and (kept.own_support is not None or kept.someone_at_risk or kept.someone_harmed)
    return kept if given else None


def _small_talk(text: str) -> list[Reply]:
    """An acknowledgement, a request for more when none is offered, or "that's not what i asked"."""
    reply = small_talk_reply(text)
    return [] if reply is None else [reply]
