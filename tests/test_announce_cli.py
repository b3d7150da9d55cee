"""`leadwell announce send|failures`, run as a programme admin at a terminal would run them."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from handlers.clock import SystemClock
from storage import Database, upgrade_database
from storage.models import Announcement, AuditEntry, OutboxMessage, Person
from storage.repositories import Repositories
from tests.test_data_admin import rows, run


async def seed(url: str) -> None:
    upgrade_database(url)
    db = Database(url)
    try:
        async with db.transaction() as session:
            for n in range(3):
                session.add(Person(identity=f"slack:T1:U{n}", platform="slack", email=f"p{n}@nhs.net"))
            session.add(Person(platform="teams", email="roster@nhs.net"))
    finally:
        await db.dispose()


async def test_send_from_a_csv_of_emails_previews_asks_and_is_audited(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/lw.db"
    await seed(url)
    emails = tmp_path / "who.csv"
    emails.write_text("Email,Name\nP0@nhs.net,Pat\nroster@nhs.net,Roz\n", encoding="utf-8")
    said_no = run("announce", "send", "--text", "Webinar **Thursday**", "--emails", str(emails), url=url, input="n\n")
    assert "— goes to: 1 on Slack, 1 not reachable yet: never opened the app" in said_no.stdout
    assert said_no.returncode == 1 and "nothing was sent" in said_no.stderr
    assert await rows(url, Announcement) == []
    sent = run("announce", "send", "--text", "Webinar", "--emails", str(emails), url=url, input="y\n")
    assert sent.returncode == 0 and "announcement 1 is on its way" in sent.stdout
    (announcement,) = await rows(url, Announcement)
    assert announcement.state == "confirmed" and announcement.audience["emails"] == ["p0@nhs.net", "roster@nhs.net"]
    (audit,) = [e for e in await rows(url, AuditEntry) if e.action == "announcement.confirmed"]
    assert audit.actor.startswith("cli:") and audit.target == "announcement:1"
    again = run("announce", "send", "--text", "Webinar", "--emails", str(emails), url=url, input="n\n")
    assert "— Careful: the same text already went to the 2 email addresses given as announcement 1" in again.stdout
    assert "Send it again anyway?" in again.stdout and again.returncode == 1
    assert len(await rows(url, Announcement)) == 1
    unasked = run("announce", "send", "--text", "Webinar", "--emails", str(emails), "--yes", url=url)
    assert unasked.returncode == 1 and "add --again to send it a second time" in unasked.stderr
    assert len(await rows(url, Announcement)) == 1  # --yes alone never sends a repeat (a walk, 2026-12-07)
    meant = run("announce", "send", "--text", "Webinar", "--emails", str(emails), "--yes", "--again", url=url)
    assert meant.returncode == 0 and len(await rows(url, Announcement)) == 2


async def test_bad_input_says_what_to_do_and_writes_nothing(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/lw.db"
    await seed(url)
    late = run("announce", "send", "--text", "x", "--at", "sometime soon", "--yes", url=url)
    assert late.returncode == 2 and "--at takes now, 'tomorrow 12:30'" in late.stderr
    missing = run("announce", "send", "--text", "x", "--emails", str(tmp_path / "none.csv"), url=url)
    assert missing.returncode == 2 and "give a UTF-8 CSV with one email per row" in missing.stderr
    who = run("announce", "send", "--text", "x", "--to", "nurses", url=url)
    assert who.returncode == 2 and "--to takes everyone, managers or staff" in who.stderr
    assert await rows(url, Announcement) == []


async def test_failures_come_as_csv(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/lw.db"
    await seed(url)
    assert run("announce", "send", "--text", "Hello all", "--yes", url=url).returncode == 0
    db = Database(url)
    try:
        async with db.transaction() as session:
            repos = Repositories(session)
            (announcement,) = await repos.announcements.fanning_out()
            await repos.announcements.fan_out(announcement, SystemClock().now())
        async with db.transaction() as session:
            row = (await session.exec(select(OutboxMessage).order_by(OutboxMessage.id))).first()  # type: ignore[arg-type]
            assert row is not None
            row.state, row.last_error = "failed", "user_not_found"
            session.add(row)
    finally:
        await db.dispose()
    out = tmp_path / "failures.csv"
    written = run("announce", "failures", "1", "--out", str(out), url=url)
    assert written.stdout.strip() == f"wrote 1 failures to {out}"
    assert out.read_text().splitlines() == ["email_or_identity,platform,reason", "p0@nhs.net,slack,user_not_found"]
    assert run("announce", "failures", "9", url=url).stderr.strip() == "leadwell: there is no announcement 9"
