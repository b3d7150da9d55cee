"""Repositories: the storage operations handlers and workers use, bound to one session."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.repositories.announcements import AnnouncementRepository
from storage.repositories.audit import AuditRepository
from storage.repositories.checkins import CheckInRepository, ReflectionRepository
from storage.repositories.choices import ChoicesRepository
from storage.repositories.erasures import ErasureListRepository
from storage.repositories.inbox import InboxRepository
from storage.repositories.nudges import NudgeRepository
from storage.repositories.outbox import OutboxRepository
from storage.repositories.pace import PaceRepository
from storage.repositories.pending import PendingRepository
from storage.repositories.people import PeopleRepository
from storage.repositories.questions import RecentQuestionRepository
from storage.repositories.roster import RosterRepository
from storage.repositories.schedules import ScheduleRepository


class Repositories:
    """Every repository over one session (one transaction).

    `due_for` narrows what falls due (due schedules, check-ins to remind or expire, nudges to expire)
    to one person's: the terminal chat runs its own person's scheduled work with it (`bot.console`).
    """

    def __init__(self, session: AsyncSession, *, due_for: int | None = None) -> None:
        self.session = session
        self.due_for = due_for
        self.people = PeopleRepository(session)
        self.pending = PendingRepository(session)
        self.inbox = InboxRepository(session)
        self.outbox = OutboxRepository(session)
        self.audit = AuditRepository(session)
        self.schedules = ScheduleRepository(session, due_for=due_for)
        self.checkins = CheckInRepository(session, due_for=due_for)
        self.reflections = ReflectionRepository(session)
        self.pace = PaceRepository(session)
        self.nudges = NudgeRepository(session, due_for=due_for)
        self.choices = ChoicesRepository(session)
        self.questions = RecentQuestionRepository(session)
        self.announcements = AnnouncementRepository(session)
        self.roster = RosterRepository(session)
        self.erasures = ErasureListRepository(session)


__all__ = [
    "AnnouncementRepository",
    "AuditRepository",
    "CheckInRepository",
    "ChoicesRepository",
    "ErasureListRepository",
    "PaceRepository",
    "ReflectionRepository",
    "ScheduleRepository",
    "InboxRepository",
    "NudgeRepository",
    "OutboxRepository",
    "PendingRepository",
    "RecentQuestionRepository",
    "PeopleRepository",
    "Repositories",
    "RosterRepository",
]
