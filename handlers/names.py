"""The names the bot writes down and reads back: button actions, what it waits for, kinds and states.

Each value is stored (in the database or in a message already sent to a
platform), so a value never changes; a member may be renamed freely. Being
`StrEnum`s, members compare and serialise as their plain string values.
"""

from __future__ import annotations

from enum import StrEnum


class ActionId(StrEnum):
    """What a button (or form submission) does: sent out with the button, and dispatched on when pressed."""

    HOME_OPEN = "home.open"  # the Slack adapter sends it when someone opens the App Home tab
    HOME_ASK = "home.ask"
    TOPIC_SHOW = "topic.show"
    ANSWER_MORE = "answer.more"  # the rest of the section an answer came from
    CHECKIN_NOW = "checkin.now"
    CHECKIN_REFLECT = "checkin.reflect"
    CHECKIN_SNOOZE = "checkin.snooze"
    CHECKIN_SKIP = "checkin.skip"
    REFLECTION_SUBMIT = "checkin.reflection.submit"
    MANAGER_PROMPT_REFLECT = "manager_prompt.reflect"
    NUDGE_NOW = "nudge.now"
    NUDGE_DONE = "nudge.done"
    NUDGE_NOT_TODAY = "nudge.not_today"
    NUDGE_ANOTHER = "nudge.another"
    NUDGE_LOG = "nudge.log"
    PENDING_ANSWER = "pending.answer"  # the Yes/No of `Context.confirm`, answered by the pending kind's handler
    APP_REMOVED = "app.removed"  # the Teams adapter sends it when the app is uninstalled for this person
    BUTTON_REFUSED = "button.refused"  # an adapter sends it for a button or form whose token it could not open
    RUN_COMMAND = "command.run"  # a "Did you mean …?" choice: runs the exact command in its value
    ROLE_SET = "role.set"  # an admin sets a person's role (the form of `role`, the undo button)
    SCHEDULE_CHOOSE = "schedule.choose"  # one of two readings of an unclear hour ("at 4": 04:00 or 16:00)
    TIMEZONE_SET = "timezone.set"  # one of the zones offered for an ambiguous or misspelt `timezone`
    ANNOUNCE_COMPOSE = "announce.compose"  # the announcement composer submitted (Slack modal, Teams card, terminal)


class RoleSource(StrEnum):
    """Where a person's role came from (`person.role_source`): only settings-sourced roles follow LEADWELL_ADMINS."""

    DEFAULT = "default"  # nobody chose it: staff on first contact
    SETTINGS = "settings"  # LEADWELL_ADMINS (synced at start-up: promoted and demoted with the list)
    CHAT = "chat"  # an admin's `role` command, or the terminal's --role
    ROSTER = "roster"  # an imported roster


class PendingKind(StrEnum):
    """What the bot takes the person's next message as (`pending_interaction.kind`)."""

    REFLECTION = "checkin.reflection"
    NUDGE_NOTE = "nudge.note"
    SCHEDULE_TIME = "schedule.time"  # which of two times was meant (typed "4pm", "the second one", "pm")
    SCHEDULE_WHEN = "schedule.when"  # the time for days already said ("every fri after my shift" … "7.30pm")


class ScheduleKind(StrEnum):
    """What a schedule sends when due (`schedule.kind`, also the outbox purpose of what it sends)."""

    CHECKIN = "checkin"
    NUDGE = "nudge"
    MANAGER_PROMPT = "manager_prompt"


class ScheduleState(StrEnum):
    """`schedule.state`: only active schedules fall due; cancelled and finished ones are not listed."""

    ACTIVE = "active"
    PAUSED = "paused"
    CANCELLED = "cancelled"
    FINISHED = "finished"  # a one-off that has happened


class CheckInState(StrEnum):
    """`checkin.state`, from sending to an answer, a skip or expiry."""

    SENT = "sent"
    SNOOZED = "snoozed"
    ANSWERED = "answered"
    SKIPPED = "skipped"
    EXPIRED = "expired"


class NudgeState(StrEnum):
    """`nudge.state`: offered, then done, not today or expired; or logged by the person unprompted."""

    SENT = "sent"
    DONE = "done"
    NOT_TODAY = "not_today"
    EXPIRED = "expired"
    LOGGED = "logged"


class Purpose(StrEnum):
    """Why a message was queued in the outbox (`outbox.purpose`).

    Besides these, what a due schedule sends has its `ScheduleKind` as purpose, the replies of a
    turn have "reply" (`handlers.conversation`), and announcements "announcement" and, for their
    corrections and recalls, "announcement-edit" (`storage.repositories.announcements`).
    """

    CHECKIN_REMINDER = "checkin_reminder"
    CHECKIN_SNOOZE = "checkin_snooze"


OPEN_CHECKIN = (CheckInState.SENT, CheckInState.SNOOZED)  # still waiting for an answer
TRIED = (NudgeState.DONE, NudgeState.LOGGED)  # counts towards progress and streaks
