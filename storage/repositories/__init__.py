"""Repositories: the storage operations handlers and workers use, bound to one session."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.repositories.audit import AuditRepository
from storage.repositories.checkins import CheckInRepository, ReflectionRepository
from storage.repositories.choices import ChoicesRepository
from storage.repositories.inbox import InboxRepository
from storage.repositories.nudges import NudgeRepository
from storage.repositories.outbox import OutboxRepository
from storage.repositories.pace import PaceRepository
from storage.repositories.pending import PendingRepository
from storage.repositories.people import PeopleRepository
from storage.repositories.schedules import ScheduleRepository


class Repositories:
    """Every repository over one session (one transaction)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.people = PeopleRepository(session)
        self.pending = PendingRepository(session)
        self.inbox = InboxRepository(session)
        self.outbox = OutboxRepository(session)
        self.audit = AuditRepository(session)
        self.schedules = ScheduleRepository(session)
        self.checkins = CheckInRepository(session)
        self.reflections = ReflectionRepository(session)
        self.pace = PaceRepository(session)
        self.nudges = NudgeRepository(session)
        self.choices = ChoicesRepository(session)


__all__ = [
    "AuditRepository",
    "CheckInRepository",
    "ChoicesRepository",
    "PaceRepository",
    "ReflectionRepository",
    "ScheduleRepository",
    "InboxRepository",
    "NudgeRepository",
    "OutboxRepository",
    "PendingRepository",
    "PeopleRepository",
    "Repositories",
]
