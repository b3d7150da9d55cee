"""`leadwell users sync-slack`: roster people who never wrote to the bot get their Slack identity, by email.

Slack's member list (`users.list`, Tier 2: about 20 pages of 200 a minute) is read whole, page by
page; each member whose email matches a roster row no one has claimed yet claims it, as a first
contact would: the row gets `slack:T…:U…` and a Slack address (post to the user id), so the
person can be messaged first. `users.lookupByEmail` is Tier 3 with no batch form (about three
hours for 10,000), so it is not used. The list is read at most once every `READ_EVERY`: the
time of the last read is kept in the database, shared by every replica.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiohttp
from slack_sdk.errors import SlackApiError

from bot.settings import Settings
from bot.slack.directory import Member, SlackDirectory, members_client
from handlers.clock import Clock
from storage import Database
from storage.repositories import Repositories

READ_EVERY = timedelta(minutes=30)
FIXES = {
    "invalid_auth": "check SLACK_BOT_TOKEN (the bot token, xoxb-…)",
    "not_authed": "set SLACK_BOT_TOKEN (the bot token, xoxb-…)",
    "missing_scope": "add the users:read and users:read.email scopes to the Slack app and reinstall it",
    "ratelimited": "Slack asked to slow down more than 5 times in a row; try again in a few minutes",
}
LAST_READ = "slack_members_read_at"


@dataclass
class SlackSync:
    """What a read of the member list found: members matched to a roster row now, already known,
    with an email on no unclaimed roster row, and without an email (scope `users:read.email` missing?)."""

    matched: int = 0
    known: int = 0
    not_in_roster: int = 0
    no_email: int = 0


class SlackUnavailable(Exception):
    """Slack could not be asked, or refused: the message says why and what to do."""


class TooSoon(Exception):
    """The member list was read less than `READ_EVERY` ago."""

    def __init__(self, last: datetime) -> None:
        super().__init__(last.isoformat())
        self.last = last


async def map_slack_members(
    db: Database, pages: AsyncIterator[list[Member]], *, clock: Clock, actor: str,
    advance: Callable[[int], None] = lambda _n: None,
) -> SlackSync:  # fmt: skip
    """Claim unclaimed roster rows for the members whose email they have; one transaction per page."""
    counts = SlackSync()
    async for page in pages:
        async with db.transaction() as session:
            await _map_page(Repositories(session), page, clock.now(), actor, counts)
        advance(len(page))
    return counts


async def _map_page(repos: Repositories, page: list[Member], now: datetime, actor: str, counts: SlackSync) -> None:
    identities = {f"slack:{m.team}:{m.user}": m for m in page}
    known = await repos.people.emails_of(list(identities))
    counts.known += len(known)
    waiting = {identity: m for identity, m in identities.items() if identity not in known}
    counts.no_email += sum(1 for m in waiting.values() if m.email is None)
    rows = await repos.people.unclaimed({m.email for m in waiting.values() if m.email})
    audit = []
    for identity, member in waiting.items():
        claimable = rows.get(member.email or "")
        if not claimable:
            counts.not_in_roster += member.email is not None
            continue
        person = claimable.pop(0)
        person.identity, person.platform = identity, "slack"
        repos.session.add(person)
        await repos.session.flush()
        await repos.people.save_address(person, "slack", {"team": member.team, "user": member.user}, now)
        audit.append({"at": now, "actor": actor, "action": "roster.slack_matched", "target": identity})
        counts.matched += 1
    await repos.audit.record_many(audit)


async def sync_slack(
    settings: Settings, db: Database, *, clock: Clock, actor: str, every: timedelta = READ_EVERY,
    advance: Callable[[int], None] = lambda _n: None,
) -> SlackSync:  # fmt: skip
    """Read the workspace's members (unless read less than `every` ago: `TooSoon`) and map them."""
    assert settings.slack_bot_token is not None
    now = clock.now()
    async with db.transaction() as session:
        kept = await Repositories(session).erasures.kept(LAST_READ)
    if kept is not None and kept.value and now - datetime.fromisoformat(kept.value) < every:
        raise TooSoon(datetime.fromisoformat(kept.value))
    client = members_client(settings.slack_bot_token.get_secret_value(), settings.slack_api_url)
    pages = _pages(SlackDirectory(client).members(), settings.slack_api_url)
    counts = await map_slack_members(db, pages, clock=clock, actor=actor, advance=advance)
    async with db.transaction() as session:
        repos = Repositories(session)
        await repos.erasures.keep(LAST_READ, now.isoformat(), clock.now())
        await repos.audit.record(actor=actor, action="roster.slack_synced", now=clock.now(), detail=vars(counts))
    return counts


async def _pages(pages: AsyncIterator[list[Member]], where: str) -> AsyncIterator[list[Member]]:
    """The pages, with Slack's refusals and unreachability as `SlackUnavailable` saying what to do."""
    try:
        async for page in pages:
            yield page
    except SlackApiError as exc:
        error = exc.response.get("error") if isinstance(exc.response.data, dict) else None
        advice = FIXES.get(str(error), "see Slack's documentation of users.list")
        raise SlackUnavailable(f"Slack refused users.list ({error}): {advice}") from None
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise SlackUnavailable(f"cannot reach Slack at {where} ({exc.__class__.__name__}); check the network") from None
