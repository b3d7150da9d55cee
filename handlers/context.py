"""What a handler is given: the message, the person, repositories, the clock and settings."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from handlers.clock import Clock
from handlers.messages import Button, Incoming, Reply
from handlers.names import ActionId
from storage.models import PendingInteraction, Person
from storage.repositories import Repositories

if TYPE_CHECKING:
    from handlers.sealing import Sealer
    from knowledge import KnowledgeBase, Practice, Prompts
    from knowledge.signposts import Signposts


@dataclass(frozen=True)
class HandlerConfig:
    """Settings handlers need, copied from the operator's settings by the wiring in `bot/`."""

    default_timezone: str = "Europe/London"
    admins: frozenset[str] = frozenset()
    reminder_after: timedelta = timedelta(hours=2)
    pending_ttl: timedelta = timedelta(minutes=30)
    public_url: str | None = None  # LEADWELL_PUBLIC_URL: where links (`my data`) point; None: no links
    retention_days: int = 365  # LEADWELL_RETENTION_DAYS, for the `privacy` text
    announce_approval_over: int | None = None  # LEADWELL_ANNOUNCE_APPROVAL(_OVER): None when off
    edit_rates: dict[str, float] = field(default_factory=dict)  # platform -> updates/deletes a second


@dataclass
class Services:
    """Long-lived things handlers share: the clock, settings, loaded content, the sealer and counts."""

    clock: Clock
    config: HandlerConfig = field(default_factory=HandlerConfig)
    knowledge: KnowledgeBase | None = None
    prompts: Prompts | None = None
    practices: list[Practice] = field(default_factory=list)
    signposts: Signposts | None = None
    sealer: Sealer | None = None
    # How many messages got support, per level ("gentle" for the gentle line): a count, never who or what.
    support_given: Counter[str] = field(default_factory=Counter)


@dataclass
class Context:
    """One turn of conversation, inside one database transaction."""

    incoming: Incoming
    person: Person
    repos: Repositories
    services: Services
    now: datetime
    first_contact: bool = False
    pending: PendingInteraction | None = None
    cancelled: PendingInteraction | None = None
    supported: bool = False  # the safeguarding check sent support first (see handlers.safeguarding)
    risk_to_life: bool = False  # … and it was support for a risk to life
    for_someone_else: bool = False  # … and it was support for helping someone else (a colleague)
    read_by_meaning: bool = False  # … and only the meaning model read it (knowledge.safeguarding.Assessment)
    read_by_a_model: bool = False  # … and no phrase said it: a model of its words or its meaning read it
    about_harm: str | None = None  # … and the first route for what it was about (abuse at home, a bereavement, …)
    support_level: str | None = None  # … and the level it was given at (risk_to_life, distress, concern)
    # … and how someone at work treats the writer was read in it too, below the level it was given at ("i cant cope
    # anymore … my manager shouts at me": distress, with a concern at work)
    at_work: bool = False
    bereaved: bool = False  # … and it was for someone bereaved by suicide
    offered: list[Button] | None = None  # the buttons offered before this turn, once read (handlers.conversation)
    ran: str | None = None  # the command the turn ran, if any (its name)

    @property
    def concern_at_work(self) -> bool:
        """Whether the support given this turn was for a concern at work (how someone is treated, rudeness, a concern
        to raise), with no harm or loss named."""
        return self.support_level == "concern" and self.about_harm is None

    @property
    def person_id(self) -> int:
        assert self.person.id is not None
        return self.person.id

    async def expect_message(self, kind: str, data: dict[str, Any] | None = None, ttl: timedelta | None = None) -> None:
        """Take the person's next message as the answer to `kind` (any command cancels it)."""
        expires = self.now + (ttl or self.services.config.pending_ttl)
        await self.repos.pending.open(self.person_id, kind, data or {}, now=self.now, expires_at=expires)

    async def confirm(
        self,
        kind: str,
        question: str,
        data: dict[str, Any] | None = None,
        ttl: timedelta | None = None,
        hint: str | None = None,
    ) -> Reply:
        """Ask a yes/no question; the answer (button, or typed yes/no) goes to the `kind` handler. `hint` is said
        when it is asked again, after an answer that was neither (what to do instead of answering)."""
        # the question is kept to ask again when the answer is something else (never a reflection: questions are ours)
        kept = {**(data or {}), "confirm": True, "asked": question[:300], **({"hint": hint} if hint else {})}
        await self.expect_message(kind, kept, ttl)
        return Reply(text=question, buttons=yes_no_buttons(kind))

    @property
    def actor(self) -> str:
        """Who the audit trail names for what this person does."""
        return self.person.identity or f"person:{self.person_id}"

    async def audit(
        self, action: str, *, target: str | None = None, outcome: str = "ok", detail: dict[str, Any] | None = None
    ) -> None:
        await self.repos.audit.record(
            actor=self.actor,
            action=action,
            now=self.now,
            target=target,
            outcome=outcome,
            detail=detail,
        )


def yes_no_buttons(kind: str) -> tuple[Button, Button]:
    """The Yes and No of a question `Context.confirm` asked (in that order: "1" is yes, "2" no)."""
    return (
        Button("Yes", ActionId.PENDING_ANSWER, {"answer": "yes", "kind": kind}, style="primary"),
        Button("No", ActionId.PENDING_ANSWER, {"answer": "no", "kind": kind}),
    )
