"""Announcements (admins): compose the text, choose the audience and the time, preview with counts, confirm;
then list, report, retry, cancel, correct and recall — every step audited under the admin's identity.

`announce` opens the composer as a form (a Slack modal, Adaptive Card inputs, one field a line in the
terminal); `announce TEXT` asks who and when in the conversation, each answer a pending interaction, never
process memory. Nothing is sent until the admin confirms the preview. Confirmed announcements are written
to the outbox in chunks by the scheduler's sweep (`fan_out_announcements`), so a 50,000-person audience
never sits in one transaction, and delivered by the ordinary sender at each platform's shared pace.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from rapidfuzz import distance, process

from handlers.context import Context, Services
from handlers.messages import Button, Form, FormField, Reply
from handlers.names import ActionId
from handlers.router import Router
from handlers.schedule_words import corrected
from knowledge.markdown import to_plain
from storage.models.announcements import Announcement
from storage.repositories import Repositories
from storage.repositories.announcements import AUDIENCE_KINDS, LEFT, NEVER_OPENED, Reach, Report

GROUP = "Admin"
ADMINS = ("admin",)
AUDIENCE = "announce.audience"
WHEN = "announce.when"
CONFIRM = "announce.confirm"
MAX_TEXT = 3000  # Slack's section text limit; Teams cards take more
REPEAT_WINDOW = timedelta(days=14)  # a repeat of an announcement sent this recently is pointed out before Yes
EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
LOCAL_TIME = re.compile(
    r"^(?:at\s+)?(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>am|pm)?\s+(?:in\s+)?(?:each\s+person'?s\s+|their\s+)?"
    r"(?:own\s+)?(?:local|time\s*zone|own\s+time)(?:\s+time)?$",
    re.I,
)
AT_TIME = re.compile(
    r"^(?:(?P<day>today|tomorrow|\d{4}-\d{2}-\d{2})\s+)?(?:at\s+)?(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>am|pm)?$",
    re.I,
)
routes = Router()


def _kind_buttons(kind: str, *answers: str) -> tuple[Button, ...]:
    return tuple(Button(label, ActionId.PENDING_ANSWER, {"answer": answer, "kind": kind}) for label, answer in
                 (a.split("|") if "|" in a else (a, a.lower()) for a in answers))  # fmt: skip


# ----------------------------------------------------------------------------------------------- compose


# "announce to evryone: the cohort opens monday": who it is for, said before the text
ADDRESSED = re.compile(r"^\s*to\s+(?P<who>[^:\n]{2,80}?)\s*(?::|\s[-–]\s)\s*(?P<body>\S.*)$", re.I | re.S)


async def _with_text(ctx: Context, text: str) -> Reply:
    body = text.strip()
    addressed = ADDRESSED.match(body)
    audience = read_audience(addressed["who"]) if addressed else None
    if addressed and audience is not None:
        body = addressed["body"].strip()
    if len(body) > MAX_TEXT:
        return Reply(f"That is {len(body):,} characters; please keep an announcement under {MAX_TEXT:,}.")
    draft = await ctx.repos.announcements.create(author_id=ctx.person_id, body=body, now=ctx.now)
    await ctx.audit("announcement.draft", target=f"announcement:{draft.id}")
    if audience is None:
        return await _ask_audience(ctx, draft)
    draft.audience = audience
    ctx.repos.announcements.save(draft)
    return await _ask_when(ctx, draft)


async def _ask_audience(ctx: Context, draft: Announcement, problem: str = "") -> Reply:
    await ctx.expect_message(AUDIENCE, {"announcement": draft.id}, ttl=timedelta(hours=2))
    return Reply(
        f"{problem}Who should get it? Choose, or type `organisation NAME` (several: separated by commas), "
        "`region NAME`, or paste the email addresses.",
        buttons=_kind_buttons(AUDIENCE, "Everyone", "Managers", "Staff"),
    )


def read_audience(text: str) -> dict[str, Any] | None:
    """The audience an admin typed (None when it is none of the accepted forms)."""
    said = " ".join(text.split()).strip().rstrip(".")
    lowered = said.lower()
    mended = process.extractOne(lowered, AUDIENCE_KINDS, scorer=distance.OSA.distance, score_cutoff=2)
    if mended is not None and len(lowered) >= 5:  # "evryone", "managres"
        lowered = mended[0]
    if lowered in ("everyone", "all", "all staff", "everybody"):
        return {"kind": "everyone"}
    if lowered in ("managers", "all managers", "manager"):
        return {"kind": "managers"}
    if lowered in ("staff", "staff only"):
        return {"kind": "staff"}
    found = re.match(
        r"^(?P<kind>organisations?|organizations?|orgs?|trusts?|regions?)\s*:?\s+(?P<names>.+)$", said, re.I
    )
    if found:
        names = [n.strip() for n in found["names"].split(",") if n.strip()]
        key = "regions" if found["kind"].lower().startswith("region") else "organisations"
        return {"kind": "everyone", key: names}
    emails = sorted({e.lower() for e in EMAIL.findall(text)})
    if emails:
        return {"kind": "everyone", "emails": emails}
    return None


@routes.follow_up(AUDIENCE, if_cancelled="The announcement was not sent.")
async def audience_given(ctx: Context, text: str) -> Reply:
    draft = await _draft(ctx)
    if draft is None:
        return Reply("That announcement is no longer being composed. Type `announce` to start again.")
    audience = read_audience(ctx.incoming.text or text)
    if audience is None:
        return await _ask_audience(ctx, draft, "I didn't understand who should get it. ")
    draft.audience = audience
    ctx.repos.announcements.save(draft)
    return await _ask_when(ctx, draft)


async def _ask_when(ctx: Context, draft: Announcement) -> Reply:
    await ctx.expect_message(WHEN, {"announcement": draft.id}, ttl=timedelta(hours=2))
    return Reply(
        "When should it go? Choose, or type a time: `tomorrow 12:30`, `2026-12-10 09:00` (your time zone), "
        "or `09:00 local` for 09:00 in each person's own time zone.",
        buttons=_kind_buttons(WHEN, "Now|now", "09:00 in each person's own time|09:00 local"),
    )


def read_when(text: str, zone: str, now: datetime) -> tuple[datetime | None, str | None] | None:
    """(send at, local time) from what the admin typed; None when it is no time we accept. A time in the past
    is None too."""
    said = " ".join(corrected(word) for word in text.lower().split()).strip().rstrip(".")  # "tomorow 14:00"
    if said in ("now", "asap", "straight away", "right away", "immediately"):
        return None, None
    local = LOCAL_TIME.match(said)
    if local:
        hour = _hour(int(local["h"]), local["ampm"])
        minute = int(local["m"] or 0)
        return (None, f"{hour:02d}:{minute:02d}") if hour < 24 and minute < 60 else None
    found = AT_TIME.match(said)
    if not found:
        return None
    hour, minute = _hour(int(found["h"]), found["ampm"]), int(found["m"] or 0)
    if hour > 23 or minute > 59:
        return None
    tz = ZoneInfo(zone)
    here = now.astimezone(tz)
    day = found["day"] or "today"
    if day == "today":
        date = here.date()
    elif day == "tomorrow":
        date = here.date() + timedelta(days=1)
    else:
        try:
            date = datetime.strptime(day, "%Y-%m-%d").date()
        except ValueError:
            return None
    at = datetime(date.year, date.month, date.day, hour, minute, tzinfo=tz)
    return (at.astimezone(now.tzinfo), None) if at > here else None


def _hour(hour: int, ampm: str | None) -> int:
    if ampm == "pm" and hour < 12:
        return hour + 12
    if ampm == "am" and hour == 12:
        return 0
    return hour


@routes.follow_up(WHEN, if_cancelled="The announcement was not sent.")
async def when_given(ctx: Context, text: str) -> list[Reply]:
    draft = await _draft(ctx)
    if draft is None:
        return [Reply("That announcement is no longer being composed. Type `announce` to start again.")]
    when = read_when(ctx.incoming.text or text, ctx.person.timezone, ctx.now)
    if when is None:
        await ctx.expect_message(WHEN, {"announcement": draft.id}, ttl=timedelta(hours=2))
        return [Reply(
            "I didn't understand that time, or it has passed. Type `now`, `tomorrow 12:30`, `2026-12-10 09:00` "
            "or `09:00 local`.",
            buttons=_kind_buttons(WHEN, "Now|now", "09:00 in each person's own time|09:00 local"),
        )]  # fmt: skip
    draft.send_at, draft.local_time = when
    return await _preview(ctx, draft)


async def _preview(ctx: Context, draft: Announcement) -> list[Reply]:
    """The message as it will look, who it reaches, and Yes/No; nothing is sent before Yes."""
    ctx.repos.announcements.save(draft)
    reach = await ctx.repos.announcements.reach(draft.audience)
    draft.recipient_count = reach.total
    if reach.total == 0:
        return [Reply("Nobody is in that audience. Nothing was sent; type `announce` to start again.")]
    if reach.reachable_total == 0:
        return [Reply(f"Nobody in that audience can be reached yet ({counts_text(reach)}). Nothing was sent; "
                      "type `announce` to start again with another audience.")]  # fmt: skip
    preview = Reply(draft.body, markdown=True)
    repeat = await ctx.repos.announcements.repeat_of(draft, ctx.now - REPEAT_WINDOW)
    ask = "Send it?" if repeat is None else f"{repeat_warning(repeat, ctx.person.timezone)} Send it again anyway?"
    question = await ctx.confirm(
        CONFIRM,
        f"That was the preview of announcement {draft.id}. It goes to {_audience(draft.audience)}, "
        f"{_timing(draft, ctx.person.timezone)}: {counts_text(reach)}. {ask}",
        {"announcement": draft.id},
        ttl=timedelta(hours=2),
        # walked 2026-12-07: "actually can i change the time to 13:00-14:00 and add …" was asked yes or no again
        hint="To change it, answer no, then send `announce` with the new text.",
    )
    return [preview, question]


@routes.follow_up(CONFIRM, if_cancelled="The announcement was not sent.")
async def confirmed(ctx: Context, answer: str) -> Reply:
    draft = await _draft(ctx)
    if draft is None:
        return Reply("That announcement is no longer being composed. Type `announce` to start again.")
    target = f"announcement:{draft.id}"
    if answer != "yes":
        await ctx.audit("announcement.discarded", target=target)
        return Reply(f"OK, announcement {draft.id} was not sent.")
    threshold = ctx.services.config.announce_approval_over
    if await submit(ctx.repos, draft, actor=ctx.actor, now=ctx.now, approval_over=threshold):
        return Reply(
            f"Announcement {draft.id} goes to {draft.recipient_count:,} people, more than {threshold:,}, so a "
            f"second admin must approve it: they type `announce approve {draft.id}`. Nothing has been sent."
        )
    return _on_its_way(ctx, draft)


async def submit(
    repos: Repositories, draft: Announcement, *, actor: str, now: datetime, approval_over: int | None
) -> bool:
    """Confirm `draft` (the scheduler's sweep then fans it out), or hold it for a second admin when it goes to
    more than `approval_over` people (None: no approval needed). Audited under `actor`; True when held.
    The one rule for the chat composer and `leadwell announce send`."""
    held = approval_over is not None and draft.recipient_count > approval_over
    draft.state = "approval" if held else "confirmed"
    draft.confirmed_at = None if held else now
    repos.announcements.save(draft)
    await repos.audit.record(
        actor=actor,
        action="announcement.awaits_approval" if held else "announcement.confirmed",
        now=now,
        target=f"announcement:{draft.id}",
        detail={"audience": draft.audience, "people": draft.recipient_count, "local_time": draft.local_time},
    )
    return held


def repeat_warning(repeat: Announcement, zone: str) -> str:
    """What to say when the same text already went to the same audience (`repos.announcements.repeat_of`)."""
    when = (repeat.confirmed_at or repeat.created_at).astimezone(ZoneInfo(zone)).strftime("%a %-d %b at %H:%M")
    return (
        f"Careful: the same text already went to {_audience(repeat.audience)} as announcement {repeat.id} ({when}, "
        f"{repeat.recipient_count:,} people); sending this one reaches some or all of them a second time."
    )


def _on_its_way(ctx: Context, draft: Announcement) -> Reply:
    return Reply(
        f"Announcement {draft.id} is on its way ({_timing(draft, ctx.person.timezone)}). "
        f"`announce report {draft.id}` shows how far it has got."
    )


async def _draft(ctx: Context) -> Announcement | None:
    pending = ctx.pending
    found = await ctx.repos.announcements.get(int((pending.data if pending else {}).get("announcement") or 0))
    return found if found is not None and found.state == "draft" and found.author_id == ctx.person_id else None


# ------------------------------------------------------------------------------------------ after sending


def _number(match: re.Match[str]) -> int:
    return int(match["n"])


async def _sent(ctx: Context, match: re.Match[str]) -> Announcement | Reply:
    return await _sent_number(ctx, _number(match))


async def _sent_number(ctx: Context, number: int) -> Announcement | Reply:
    """Announcement `number`, or the reply that there is none (a draft is none)."""
    found = await ctx.repos.announcements.get(number)
    if found is None or found.state == "draft":
        return Reply(f"There is no announcement {number}. `announcements` lists them.")
    return found


AnnouncementHandler = Callable[[Context, Announcement, re.Match[str]], Awaitable[Reply]]


def _on_announcement(
    verb: str, words: tuple[str, ...], summary: str
) -> Callable[[AnnouncementHandler], AnnouncementHandler]:
    """Register `announce VERB N` for admins, with people's own words for it ("report announcement 3", "stop
    announcement 3"); the handler gets announcement N (an unknown number is said so)."""
    said = "|".join((verb, *words))

    def decorate(handler: AnnouncementHandler) -> AnnouncementHandler:
        async def command(ctx: Context, match: re.Match[str]) -> Reply:
            found = await _sent(ctx, match)
            return found if isinstance(found, Reply) else await handler(ctx, found, match)

        routes.command(
            rf"announce {verb} (?P<n>\d+)",
            name=f"announce {verb}",
            summary=summary,
            examples=(f"announce {verb} 3",),
            group=GROUP,
            roles=ADMINS,
            says=(
                f"announce|announcement {said} {{number}} => announce {verb} {{number}}",
                f"{said} announcement {{number}} => announce {verb} {{number}}",
            ),
        )(command)
        return handler

    return decorate


@_on_announcement("approve", (), "Approve another admin's announcement to a large audience (admins)")
async def approve(ctx: Context, found: Announcement, _match: re.Match[str]) -> Reply:
    target = f"announcement:{found.id}"
    if found.state != "approval":
        return Reply(f"Announcement {found.id} is not waiting for approval.")
    if found.author_id == ctx.person_id:
        await ctx.audit("announcement.approve", target=target, outcome="refused", detail={"reason": "own"})
        return Reply("You wrote it, so another admin needs to approve it.")
    found.approved_by_id = ctx.person_id
    await ctx.audit("announcement.approved", target=target)
    await submit(ctx.repos, found, actor=ctx.actor, now=ctx.now, approval_over=None)
    return _on_its_way(ctx, found)


@routes.command(
    r"announcements",
    name="announcements",
    examples=("announcements",),
    group=GROUP,
    roles=ADMINS,
    summary="The latest announcements and how far each has got (admins)",
    says=(
        "list|show announcements", "~announcements|broadcasts",
        # an admin asking how the last one went, in their own words (walked 2026-12-07: these had been answered
        # with knowledge sections about Schwartz Rounds and the abolition of NHS England)
        "announcement|announcements|broadcast status|report|progress",
        "?how did last|latest|recent announcement|broadcast go|do",
        "?how many people|staff|ppl|folk got|received|read last|latest|recent announcement|broadcast",
        # whether one went, in more words, is `whether_it_went` ("did my announcement go out", "has the webinar
        # announcement reached everyone"); without "did" or "has":
        "?announcement|broadcast sent|out yet",
        # walked 2026-12-07: "did the first one go out" had been asked which practice was done
        "?did|has first|last|latest|second|1st|2nd one go|gone|get|got out|through|sent",
        # an admin's "did it go out?" (a third walk, 2026-12-07: answered with bullying); anyone else's goes on to the
        # answerer, as a command they may not run is not read from their own words
        "?did|has it go|gone|get|got out|through|sent",
    ),
)
async def listing(ctx: Context, _match: re.Match[str]) -> Reply:
    recent = await ctx.repos.announcements.recent()
    if not recent:
        return Reply("No announcements yet. `announce` makes one.")
    lines = []
    for item in recent:
        report = await ctx.repos.announcements.report(item)
        lines.append(f"{item.id}. {to_plain(item.title)[:60]} — {_state(item, report)}: {_progress(report)}")
    return Reply("\n".join(lines) + "\n\n`announce report N` gives the figures.")


@routes.command(
    r"(?=.*\b(?:announcements?|broadcasts?)\b)(?=.*\b(?:did|has|have|is|was|were)\b)"
    r"(?=.*\b(?:go|gone|went|get|got|sent|out|through|reach|reached|deliver|delivered|arrive|arrived|done|finished)\b)"
    r"[^\n]{0,200}",
    name="announcement status",
    examples=("has my christmas announcement gone out yet?",),
    group=GROUP,
    roles=ADMINS,
    summary="Whether an announcement went out, in your own words (admins)",
)
async def whether_it_went(ctx: Context, match: re.Match[str]) -> Reply:
    """An admin asking whether an announcement went ("has my christmas announcement gone out yet?", "what about
    announcement 18, did it go?"; walked 2026-12-07: declined, and answered with Schwartz Rounds): the report of the
    one numbered, else the latest ones."""
    number = NUMBERED.search(match.group(0))
    if number is None:
        return await listing(ctx, match)
    found = await _sent_number(ctx, int(number.group("n")))
    return found if isinstance(found, Reply) else await report(ctx, found, match)


NUMBERED = re.compile(r"\b(?:announcement|broadcast|number|no\.?|#)\s*#?(?P<n>\d{1,6})\b", re.IGNORECASE)


@_on_announcement(
    "report",
    ("status", "progress", "figures"),
    "How an announcement's delivery went, with the reasons for failures (admins)",
)
async def report(ctx: Context, found: Announcement, _match: re.Match[str]) -> Reply:
    figures = await ctx.repos.announcements.report(found)
    reasons = "; ".join(f"{why}: {count}" for why, count in figures.reasons.most_common(5))
    edits = (
        f" Corrections/deletions: {figures.edits_done} done, {figures.edits_pending} to go, "
        f"{figures.edits_failed} failed."
        if figures.edits_done + figures.edits_pending + figures.edits_failed else ""
    )  # fmt: skip
    retry = f" `announce retry {found.id}` sends the failed ones again." if figures.failed else ""
    return Reply(
        f"Announcement {found.id} ({_state(found, figures)}): {_progress(figures)}."
        + (f" Reasons: {reasons}." if reasons else "")
        + edits
        + retry
        + (
            f" `leadwell announce failures {found.id}` writes a CSV of the failures."
            if figures.failed + figures.left
            else ""
        )
    )


@_on_announcement("retry", ("resend",), "Send again only the deliveries that failed (admins)")
async def retry(ctx: Context, found: Announcement, _match: re.Match[str]) -> Reply:
    if found.state in ("cancelled", "recalled"):
        return Reply(f"Announcement {found.id} was {found.state}; nothing was resent.")
    count = await ctx.repos.announcements.retry_failed(found.id or 0, ctx.now)
    await ctx.audit("announcement.retry", target=f"announcement:{found.id}", detail={"messages": count})
    return Reply(f"Sending {count:,} failed deliveries of announcement {found.id} again (people who have left "
                 "are not retried).")  # fmt: skip


@_on_announcement("cancel", ("stop",), "Stop what has not been delivered yet (admins)")
async def cancel(ctx: Context, found: Announcement, _match: re.Match[str]) -> Reply:
    if found.state in ("cancelled", "recalled"):
        return Reply(f"Announcement {found.id} was already {found.state}.")
    count = await ctx.repos.announcements.cancel(found)
    await ctx.audit("announcement.cancelled", target=f"announcement:{found.id}", detail={"messages": count})
    return Reply(f"Stopped: {count:,} deliveries of announcement {found.id} will not go. What was delivered stays; "
                 f"`announce recall {found.id}` deletes it.")  # fmt: skip


@routes.command(r"announce correct (?P<n>\d+) (?P<text>.+)", name="announce correct", group=GROUP, roles=ADMINS,
                summary="Replace the text of an announcement, delivered copies included (admins)",
                examples=("announce correct 3 Webinar moved to Friday at 12:30",))  # fmt: skip
async def correct(ctx: Context, match: re.Match[str]) -> Reply:
    found = await _sent(ctx, match)
    if isinstance(found, Reply):
        return found
    if found.state == "recalled":
        return Reply(f"Announcement {found.id} was recalled; make a new one with `announce`.")
    raw = _typed_after(ctx.incoming.text, "announce correct N") or ctx.incoming.text or match["text"]
    body = raw.strip()
    if not body or len(body) > MAX_TEXT:
        return Reply(f"Please give the new text, under {MAX_TEXT:,} characters.")
    count = await ctx.repos.announcements.correct(found, body, ctx.now)
    await ctx.audit("announcement.corrected", target=f"announcement:{found.id}",
                    detail={"messages": count, "version": found.version})  # fmt: skip
    return Reply(
        f"Corrected: what has not gone yet goes with the new text, and {count:,} delivered messages will be "
        f"updated{_duration(ctx.services, count)}. `announce report {found.id}` shows progress."
    )


@_on_announcement("recall", ("delete", "unsend"), "Stop an announcement and delete the delivered copies (admins)")
async def recall(ctx: Context, found: Announcement, _match: re.Match[str]) -> Reply:
    if found.state == "recalled":
        return Reply(f"Announcement {found.id} was already recalled.")
    stopped, deleting = await ctx.repos.announcements.recall(found, ctx.now)
    await ctx.audit("announcement.recalled", target=f"announcement:{found.id}",
                    detail={"stopped": stopped, "deleting": deleting})  # fmt: skip
    return Reply(f"Recalled: {stopped:,} deliveries stopped and {deleting:,} delivered messages will be deleted"
                 f"{_duration(ctx.services, deleting)}. `announce report {found.id}` shows progress.")  # fmt: skip


def compose_form() -> Form:
    """The composer as a form: a Slack modal, Adaptive Card inputs, or one field a line in the terminal."""
    return Form(
        title="New announcement",
        fields=(
            FormField("text", "Announcement", kind="multiline", max_length=MAX_TEXT,
                      hint="**bold**, _italic_, [a link](https://…) and lines starting “- ” as bullets"),
            FormField("audience", "Who gets it", kind="select", options=("Everyone", "Managers", "Staff")),
            FormField("organisations", "Only these organisations", required=False, max_length=500,
                      hint="Separated by commas; empty for all"),
            FormField("regions", "Only these regions", required=False, max_length=500,
                      hint="Separated by commas; empty for all"),
            FormField("emails", "Or only these email addresses", kind="multiline", required=False,
                      hint="Pasted, one or more a line"),
            FormField("when", "When", required=False, max_length=40, placeholder="now",
                      hint="now, tomorrow 12:30, 2026-12-10 09:00 (your time zone), or 09:00 local"),
        ),
        submit_action=ActionId.ANNOUNCE_COMPOSE,
        submit_label="Preview",
    )  # fmt: skip


@routes.action(ActionId.ANNOUNCE_COMPOSE, roles=ADMINS)
async def composed(ctx: Context) -> list[Reply]:
    """The composer submitted: the text, who and when at once; then the preview."""
    values = ctx.incoming.action.value if ctx.incoming.action is not None else {}

    def value(name: str) -> str:
        found = values.get(name)
        return found.strip() if isinstance(found, str) and found.strip() != "-" else ""

    body, kind = value("text"), value("audience").lower() or "everyone"
    if not body or len(body) > MAX_TEXT or kind not in AUDIENCE_KINDS:
        return [Reply(f"Please give the announcement (up to {MAX_TEXT:,} characters) and who gets it.",
                      form=compose_form())]  # fmt: skip
    audience: dict[str, Any] = {"kind": kind}
    for name in ("organisations", "regions"):
        names = [n.strip() for n in value(name).split(",") if n.strip()]
        if names:
            audience[name] = names
    if value("emails"):
        audience["emails"] = sorted({e.lower() for e in EMAIL.findall(value("emails"))})
    when = read_when(value("when") or "now", ctx.person.timezone, ctx.now)
    if when is None:
        return [Reply("I didn't understand the time, or it has passed: use now, tomorrow 12:30, 2026-12-10 09:00 "
                      "or 09:00 local.", form=compose_form())]  # fmt: skip
    draft = await ctx.repos.announcements.create(author_id=ctx.person_id, body=body, now=ctx.now)
    draft.audience, (draft.send_at, draft.local_time) = audience, when
    await ctx.audit("announcement.draft", target=f"announcement:{draft.id}")
    return await _preview(ctx, draft)


# Asking how to send an announcement, in more words than the command's own phrasings take (walked 2026-12-07: "how do i
# send an anouncement to everyone" had been answered with briefing a team after change, and a nurse's "can i send an
# announcement to the whole ward about the xmas party" declined as politics)
SENDING_AN_ANNOUNCEMENT = re.compile(
    r"\b(?:send|sending|make|post|put out|do|broadcast)\b.{0,20}\b(?:an?|the|my|our)\s+(?:\w+\s+)?"
    r"(?:announcements?|anouncements?|annoucements?|broadcasts?)\b"
    r"|\b(?:send|sending|post)\s+(?:a |an )?(?:message|msg|note)\s+(?:out\s+)?to\s+"
    r"(?:all|every|everyone|everybody|the whole)\b",
    re.IGNORECASE,
)
HOW_TO_ANNOUNCE = (
    "To send an announcement, type `announce` (or `announce` followed by the text): you choose who gets it (everyone, "
    "managers, staff, organisations, regions or email addresses) and when, and see a preview with the numbers before "
    "anything is sent. `announcements` shows how each one is going."
)
ONLY_ADMINS_ANNOUNCE = (
    "Announcements are sent by your programme's admins, so ask one of them. For your own team, a message in your "
    "usual team channel is the way."
)


def how_to_announce(ctx: Context) -> Reply:
    """The reply to asking how to send an announcement in more words than `announce`'s phrasings take
    (`SENDING_AN_ANNOUNCEMENT`, read by the answerer's fallback): how, for an admin; who can, for anyone else."""
    return Reply(HOW_TO_ANNOUNCE if ctx.person.role in ADMINS else ONLY_ADMINS_ANNOUNCE)


# Registered last: "announce report 3" is the report, not an announcement saying "report 3".
@routes.command(
    r"announce(?: (?P<text>.+))?",
    name="announce",
    summary="Send an announcement: the text, who gets it, when; a preview before anything goes (admins)",
    examples=("announce", "announce Programme webinar on Thursday at 12:30"),
    group=GROUP,
    roles=ADMINS,
    says=(
        "~broadcast|announcement",
        "~send|make an announcement",
        # walked 2026-12-07: "how do i send an anouncement to everyone" had been answered with briefing a team after
        # change, and a member of staff's "can i send an announcement to the whole ward about the xmas party" declined
        # as politics; the composer opens (or staff are told it is for admins), nothing is sent before a preview
        "?how do|can|would i send|make|post|do an|a announcement|announcements|broadcast",
        "?can|could i send|make|post an|a announcement|broadcast",
        "send|make|post an|a announcement|broadcast",
    ),
)
async def announce(ctx: Context, match: re.Match[str]) -> Reply:
    """`announce` opens the composer; `announce Programme webinar…` gives the text at once (its line breaks
    kept) and the conversation asks who and when."""
    meant = _mistyped_subcommand(match["text"] or "")
    if meant is not None:
        return Reply(f"Did you mean `{meant}`? Nothing was sent.", buttons=(
            Button(meant, ActionId.RUN_COMMAND, {"text": meant}),))  # fmt: skip
    await ctx.audit("announcement.compose")
    if match["text"]:
        return await _with_text(ctx, _typed_after(ctx.incoming.text, "announce") or ctx.incoming.text or match["text"])
    return Reply(
        "Write the announcement and choose who gets it and when; you'll see a preview with the numbers before "
        "anything is sent. (Or type `announce` followed by the text, and I'll ask who and when.)",
        form=compose_form(),
    )


SUBCOMMANDS = ("report", "retry", "cancel", "recall", "approve", "correct")


def _typed_after(typed: str | None, command: str) -> str:
    """What follows the command at the start of the text as typed (its case and line breaks kept), each command
    word typed right or with a slip the intents layer mended ("annouce Webinar …" → "Webinar …"); N is a number.
    Empty when the text does not start with the command."""
    rest = typed or ""
    for expected in command.split():
        found = re.match(r"\s*(\S+)\s+", rest)
        if found is None:
            return ""
        word = found.group(1).lower()
        if not (word.isdigit() if expected == "N" else distance.OSA.distance(word, expected) <= 2):
            return ""
        rest = rest[found.end() :]
    return rest


def _mistyped_subcommand(text: str) -> str | None:
    """ "reprot 2" after `announce` is a mistyped `announce report 2`, not an announcement saying "reprot 2"."""
    words = text.split()
    if not words or len(words) > 2 or (len(words) == 2 and not words[1].isdigit()):
        return None
    best = process.extractOne(words[0].lower(), SUBCOMMANDS, scorer=distance.OSA.distance, score_cutoff=2)
    return None if best is None else " ".join(["announce", best[0], *words[1:]])


# ------------------------------------------------------------------------------------------------ fan-out


@routes.sweep
async def fan_out_announcements(repos: Repositories, _services: Services, now: datetime, _batch: int) -> dict[str, int]:
    """Write the next chunk of each confirmed announcement's outbox rows (each pass, one chunk each)."""
    written = 0
    for announcement in await repos.announcements.fanning_out():
        written += await repos.announcements.fan_out(announcement, now)
    return {"announcement_recipients": written} if written else {}


# ----------------------------------------------------------------------------------------------- wording


def counts_text(reach: Reach) -> str:
    """ "1,204 on Slack, 3,310 on Teams, 52 not reachable yet: never opened the app"."""
    parts = [f"{count:,} on {platform.capitalize()}" for platform, count in sorted(reach.reachable.items())]
    if reach.unreachable[NEVER_OPENED]:
        parts.append(f"{reach.unreachable[NEVER_OPENED]:,} not reachable yet: {NEVER_OPENED}")
    if reach.unreachable[LEFT]:
        parts.append(f"{reach.unreachable[LEFT]:,} left (account closed or app removed)")
    return ", ".join(parts) or "nobody"


def _audience(audience: dict[str, Any]) -> str:
    kind = audience.get("kind", "everyone")
    who = {"everyone": "everyone", "managers": "managers", "staff": "staff"}[kind]
    if audience.get("organisations"):
        return f"{who} in {', '.join(audience['organisations'])}"
    if audience.get("regions"):
        return f"{who} in the {', '.join(audience['regions'])} region"
    if audience.get("emails") is not None:
        return f"the {len(audience['emails']):,} email addresses given"
    return who


def _timing(draft: Announcement, zone: str) -> str:
    if draft.local_time:
        return f"at {draft.local_time} in each person's own time zone"
    if draft.send_at:
        return f"at {draft.send_at.astimezone(ZoneInfo(zone)):%a %d %b %H:%M} ({zone})"
    return "now"


def _state(announcement: Announcement, report: Report) -> str:
    """Its state as an admin reads it: "sending" becomes "finished" once nothing is left to go."""
    if announcement.state == "sending" and report.pending == 0 and report.edits_pending == 0:
        return "finished"
    return {"confirmed": "being queued", "approval": "waiting for a second admin"}.get(
        announcement.state, announcement.state
    )


def _progress(report: Report) -> str:
    """ "1,180 sent, 20 to go, 3 failed, 1 left the organisation or app" (what is nought is left out, but for
    sent and to go)."""
    parts = [f"{report.sent:,} sent", f"{report.pending:,} to go"]
    for count, what in ((report.failed, "failed"), (report.left, "left the organisation or app"),
                        (report.cancelled, "cancelled"), (report.unreachable, "not reachable")):  # fmt: skip
        if count:
            parts.append(f"{count:,} {what}")
    return ", ".join(parts)


def _duration(services: Services, count: int) -> str:
    rate = min(services.config.edit_rates.values(), default=0.0)
    if count == 0 or rate <= 0:
        return ""
    seconds = count / rate
    if seconds < 90:
        return ""
    return f", which takes about {seconds / 60:,.0f} minutes at the platforms' pace" if seconds < 5400 else (
        f", which takes about {seconds / 3600:,.1f} hours at the platforms' pace")  # fmt: skip
