"""Answering a check-in: reflect (next message or form), snooze, skip; and reading back your own.

Reflection text is sealed before it is stored; saving it is confirmed with its
word count only. Only its author can read it back (“my reflections”: the start
of each of their last five, privately even when asked in a channel). Like every
message, a reflection first passes the safeguarding check (`handlers.safeguarding`),
typed or sent with the form: support comes first, and the reflection is still saved.
"""

from __future__ import annotations

import re
from datetime import timedelta

from handlers.checkins import NO_PATIENT_DATA, checkin_buttons, question_of
from handlers.context import Context, Services
from handlers.messages import Form, FormField, Reply
from handlers.names import OPEN_CHECKIN, ActionId, CheckInState, PendingKind, Purpose
from handlers.router import Router
from handlers.timezones import local_time
from storage.models import CheckIn, Reflection

MAX_REFLECTION = 3000
SNOOZE = timedelta(hours=1)
routes = Router()


def reflection_form(checkin_id: int | None, question: str = "") -> Form:
    return Form(
        title="Your reflection",
        fields=(
            FormField(
                "reflection",
                "Your reflection",
                kind="multiline",
                max_length=MAX_REFLECTION,
                hint=f"{question} Only you will see this. {NO_PATIENT_DATA}",
            ),
        ),
        submit_action=ActionId.REFLECTION_SUBMIT,
        submit_label="Save",
        context={"checkin": checkin_id},
    )


async def open_checkin(ctx: Context) -> CheckIn | None:
    assert ctx.incoming.action is not None
    checkin_id = ctx.incoming.action.number("checkin")
    return await ctx.repos.checkins.get_for(checkin_id, ctx.person_id) if checkin_id is not None else None


async def save_reflection(ctx: Context, checkin: CheckIn | None, text: str) -> list[Reply]:
    text = text.strip()
    if not text:
        return [Reply("There was nothing to save. Press “Reflect now” again when you're ready.")]
    if len(text) > MAX_REFLECTION:
        await ctx.expect_message(PendingKind.REFLECTION, {"checkin": checkin.id if checkin else None})
        return [Reply(f"That is {len(text)} characters; please keep it under {MAX_REFLECTION} and send it again.")]
    assert ctx.services.sealer is not None, "the sealer was not configured"
    await ctx.repos.reflections.add(
        Reflection(
            person_id=ctx.person_id,
            checkin_id=checkin.id if checkin else None,
            prompt_id=checkin.prompt_id if checkin else None,
            body=ctx.services.sealer.seal(text),
            created_at=ctx.now,
        )
    )
    if checkin is not None and checkin.state in (*OPEN_CHECKIN, CheckInState.EXPIRED, CheckInState.SKIPPED):
        checkin.state, checkin.answered_at, checkin.remind_at = CheckInState.ANSWERED, ctx.now, None
        ctx.repos.checkins.save(checkin)
    words = len(text.split())
    replies = [
        Reply(
            f"Thank you. Your reflection ({words} word{'s' if words != 1 else ''}) is saved, and only you can see it. "
            "Type “my reflections” to look back.",
            private=True,
        )
    ]
    return replies


@routes.action(
    ActionId.CHECKIN_REFLECT, words=("reflect", "reflect now", "yes", "ok", "okay", "go", "start", "now", "lets go")
)
async def reflect_now(ctx: Context) -> Reply:
    checkin = await open_checkin(ctx)
    if checkin is None:
        return Reply("I can't find that check-in any more. “checkin now” starts a new one.")
    if checkin.state == CheckInState.ANSWERED:
        return Reply("You've already reflected on this one. “checkin now” starts another.")
    await ctx.expect_message(
        PendingKind.REFLECTION, {"checkin": checkin.id}, ttl=ctx.services.config.reminder_after * 2
    )
    # The question is in the check-in just above, and in the form's hint (a Teams card and a Slack modal
    # show it): said here as well, it was printed twice in the terminal and shown twice in the card.
    question = question_of(ctx.services, checkin.prompt_id)
    return Reply(
        f"Write your reflection as your next message (or use the form). Only you will see it. {NO_PATIENT_DATA}",
        form=reflection_form(checkin.id, question),
        private=True,
    )


@routes.follow_up(PendingKind.REFLECTION, if_cancelled="Your reflection wasn't saved; “checkin now” starts again.")
async def reflection_typed(ctx: Context, text: str) -> list[Reply]:
    assert ctx.pending is not None
    checkin_id = ctx.pending.data.get("checkin")
    checkin = await ctx.repos.checkins.get_for(int(checkin_id), ctx.person_id) if checkin_id else None
    return await save_reflection(ctx, checkin, text)


@routes.action(ActionId.REFLECTION_SUBMIT, keeps_pending=True)  # it is the answer, not a new command
async def reflection_submitted(ctx: Context) -> list[Reply]:
    assert ctx.incoming.action is not None
    checkin = await open_checkin(ctx)
    values = ctx.incoming.action.value
    errors = reflection_form(checkin.id if checkin else None).validate(values)
    if errors:  # the wait goes on: the next message is still the reflection
        await ctx.expect_message(PendingKind.REFLECTION, {"checkin": checkin.id if checkin else None})
        return [Reply(" ".join(errors.values()))]
    await ctx.repos.pending.clear(ctx.person_id)
    return await save_reflection(ctx, checkin, str(values.get("reflection", "")))


@routes.open_answer
async def reflection_for_open_checkin(ctx: Context, text: str) -> list[Reply] | None:
    """Free text while a check-in sent to this person is still open is its reflection (never lost to the
    question answerer); a question kept that way says how to ask it instead."""
    checkin = await ctx.repos.checkins.latest_open(ctx.person_id, ctx.now)
    if checkin is None:
        return None
    replies = await save_reflection(ctx, checkin, text)
    if text.rstrip().endswith("?"):
        replies.append(Reply("I kept that as your check-in reflection. If it was a question for me, send it again "
                             "starting with “ask”."))  # fmt: skip
    return replies


@routes.action(
    ActionId.CHECKIN_SNOOZE,
    words=("snooze", "later", "in an hour", "remind me later", "not now", "give me an hour", "after"),
)
async def snooze(ctx: Context) -> Reply:
    checkin = await open_checkin(ctx)
    if checkin is None or checkin.state not in OPEN_CHECKIN:
        return Reply("That check-in is no longer open, so there is nothing to snooze.")
    due = ctx.now + SNOOZE
    checkin.state = CheckInState.SNOOZED
    checkin.remind_at = due + ctx.services.config.reminder_after
    checkin.expires_at = due + 2 * ctx.services.config.reminder_after
    ctx.repos.checkins.save(checkin)
    await ctx.repos.outbox.enqueue(
        dedupe_key=f"checkin-snooze:{checkin.id}:{due:%Y%m%dT%H%MZ}",
        purpose=Purpose.CHECKIN_SNOOZE,
        person_id=ctx.person_id,
        platform=ctx.person.platform,
        payload=snoozed_reply(ctx.services, checkin).to_dict(),
        due_at=due,
        now=ctx.now,
        reference=f"checkin:{checkin.id}",
    )
    return Reply(f"Snoozed. I'll ask again at {local_time(due, ctx.person.timezone)}.")


def snoozed_reply(services: Services, checkin: CheckIn) -> Reply:
    """The check-in asked again when its snooze is over."""
    return Reply(
        f"Here is your check-in again.\n\n{question_of(services, checkin.prompt_id)}\n\n{NO_PATIENT_DATA}",
        buttons=checkin_buttons(checkin.id or 0),
    )


@routes.action(
    ActionId.CHECKIN_SKIP, words=("skip", "skip it", "no", "nope", "not today", "pass", "no thanks", "skip this one")
)
async def skip(ctx: Context) -> Reply:
    checkin = await open_checkin(ctx)
    if checkin is None or checkin.state not in OPEN_CHECKIN:
        return Reply("That check-in is no longer open. Nothing to skip.")
    checkin.state, checkin.remind_at = CheckInState.SKIPPED, None
    ctx.repos.checkins.save(checkin)
    return Reply("No problem, skipped. Be kind to yourself today.")


@routes.command(
    r"(?:can i |how do i |how can i |i want to |pls |please )?(?:delete|remove|erase|clear|get rid of)\s+"
    r"(?:my |a |one |the |that |this )?(?:first |last |latest |old |previous |\d{1,3}(?:st|nd|rd|th)? )?"
    r"(?:reflections?|entry|entries)(?:\s+(?:#?\d{1,3}|about .{1,80}|from .{1,40}))?\s*\??",
    name="delete-reflection",
    says=("delete|remove|erase|clear reflection|reflections|entry",),
    summary="How reflections are deleted",
    examples=("delete reflection 1",),
    group="Check-ins",
    keeps_pending=True,
)
async def delete_reflection(ctx: Context, _match: re.Match[str]) -> Reply:
    """There is no deleting one reflection: say so, and what does happen (walked 2026-12-07: "delete reflection 1" had
    cancelled the person's check-in 1, "delete my first reflection" was answered with action learning)."""
    days = ctx.services.config.retention_days
    return Reply(
        "I can't delete a single reflection. Only you can read them, and each is deleted automatically after "
        f"{days} days. “forget me” erases everything I keep about you, reflections included, after you confirm. "
        "Nothing has been changed."
    )


@routes.command(
    r"(?:show |list )?my reflections?",
    name="my-reflections",
    says=(
        "my reflections",
        "show|read|see|list|view|past|previous|old|recent reflections",
        "?what did i write|reflect",
    ),
    summary="Read your recent reflections (only you can)",
    examples=("my reflections",),
    group="Check-ins",
    keeps_pending=True,
)
async def my_reflections(ctx: Context, _match: re.Match[str]) -> Reply:
    assert ctx.services.sealer is not None
    reflections = await ctx.repos.reflections.recent_by_author(ctx.person_id, limit=5)
    if not reflections:
        return Reply("You have no reflections yet. “checkin now” starts one.", private=True)
    lines = ["Your most recent reflections (only you can see these):"]
    for reflection in reflections:
        text = ctx.services.sealer.open(reflection.body)
        shown = text if len(text) <= 280 else text[:277].rstrip() + "…"
        lines.append(f"\n{local_time(reflection.created_at, ctx.person.timezone)}\n{shown}")
    if not ctx.incoming.private:
        lines.insert(0, "(You asked in a shared channel, so I'm answering only to you.)")
    return Reply("\n".join(lines), private=True)
