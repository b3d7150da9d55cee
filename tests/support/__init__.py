"""Test support: database fixtures, a conversation driver, subprocess helpers."""

# Every table DESIGN.md names (what `leadwell db upgrade` must create).
DESIGN_TABLES = frozenset(
    {
        "person",
        "conversation_address",
        "schedule",
        "checkin",
        "reflection",
        "nudge",
        "announcement",
        "inbox_event",
        "outbox_message",
        "pending_interaction",
        "send_pace",
        "audit_log",
    }
)
