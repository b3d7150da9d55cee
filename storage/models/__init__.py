"""Every table LeadWell keeps, imported in one place so metadata and migrations see them all."""

from storage.models.announcements import Announcement
from storage.models.audit import AuditEntry
from storage.models.checkins import CheckIn, Reflection
from storage.models.choices import OfferedChoices
from storage.models.exports import ExportToken
from storage.models.inbox import InboxEvent
from storage.models.nudges import Nudge
from storage.models.outbox import OutboxMessage
from storage.models.pace import SendPace
from storage.models.pending import PendingInteraction
from storage.models.people import ConversationAddress, Person
from storage.models.questions import RecentQuestion
from storage.models.roster import ErasedEmail, KeptValue
from storage.models.schedules import Schedule

__all__ = [
    "Announcement",
    "AuditEntry",
    "CheckIn",
    "ConversationAddress",
    "ErasedEmail",
    "ExportToken",
    "InboxEvent",
    "KeptValue",
    "OfferedChoices",
    "Nudge",
    "OutboxMessage",
    "PendingInteraction",
    "Person",
    "RecentQuestion",
    "Reflection",
    "Schedule",
    "SendPace",
]
