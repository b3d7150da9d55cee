"""Stored and sent names never change: buttons already in people's chats and rows already stored use them."""

from __future__ import annotations

from handlers.names import (
    ActionId,
    CheckInState,
    NudgeState,
    PendingKind,
    Purpose,
    RoleSource,
    ScheduleKind,
    ScheduleState,
)


def test_button_actions_keep_the_values_already_sent_in_messages() -> None:
    assert sorted(ActionId) == sorted(
        [
            "home.open", "home.ask", "topic.show", "checkin.now", "checkin.reflect", "checkin.snooze",
            "checkin.skip", "checkin.reflection.submit", "manager_prompt.reflect", "nudge.now", "nudge.done",
            "nudge.not_today", "nudge.another", "nudge.log", "pending.answer", "app.removed",
            "button.refused", "role.set", "command.run", "schedule.choose", "timezone.set",
            "answer.more", "announce.compose",
        ]
    )  # fmt: skip


def test_kinds_and_states_keep_their_stored_values() -> None:
    assert list(PendingKind) == ["checkin.reflection", "nudge.note", "schedule.time", "schedule.when"]
    assert list(ScheduleKind) == ["checkin", "nudge", "manager_prompt"]
    assert list(ScheduleState) == ["active", "paused", "cancelled", "finished"]
    assert list(CheckInState) == ["sent", "snoozed", "answered", "skipped", "expired"]
    assert list(NudgeState) == ["sent", "done", "not_today", "expired", "logged"]
    assert list(Purpose) == ["checkin_reminder", "checkin_snooze"]
    assert list(RoleSource) == ["default", "settings", "chat", "roster"]
