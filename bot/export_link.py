"""`my data` links: GET /export/{token} shows a page with a download button; its POST downloads the JSON.

The GET shows no data and changes nothing, so a link scanner (Slack's and Teams' unfurlers, mail
filters) cannot use the link up; the POST uses it up atomically (`ExportTokenRepository.redeem`)
and answers with the person's whole record as an attachment. A used, expired or unknown link gets
410 with a plain page saying how to get a new one.
"""

from __future__ import annotations

import json
import logging

from aiohttp import web

from bot.runtime import Runtime
from handlers.privacy import export_record, token_hash
from storage.repositories import Repositories
from storage.repositories.personal_data import ExportTokenRepository

log = logging.getLogger(__name__)
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    "X-Robots-Tag": "noindex",
}
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>LeadWell: {title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:36em;margin:3em auto;padding:0 1em;line-height:1.5}}
button{{font-size:1.1em;padding:.5em 1.2em}}</style></head>
<body><h1>{title}</h1>{body}</body></html>
"""
GONE = PAGE.format(
    title="This link no longer works",
    body="<p>Download links work once, and for 15 minutes. Type <b>my data</b> to LeadWell for a new one.</p>",
)


def _page(body: str, status: int = 200) -> web.Response:
    return web.Response(text=body, status=status, content_type="text/html", headers=HEADERS)


def add_export_routes(app: web.Application, runtime: Runtime) -> None:
    """GET and POST /export/{token}."""

    async def show(request: web.Request) -> web.Response:
        hashed = token_hash(request.match_info["token"])
        async with runtime.db.transaction() as session:
            usable = await ExportTokenRepository(session).usable(hashed, runtime.services.clock.now())
        if not usable:
            return _page(GONE, status=410)
        body = (
            "<p>Your LeadWell data is ready as one JSON file: your profile, schedules, check-ins, "
            "reflections and notes (opened for you), and practice history.</p>"
            "<p>The link works once: the download uses it up. Keep the file somewhere safe.</p>"
            '<form method="post"><button type="submit">Download my data</button></form>'
        )
        return _page(PAGE.format(title="Download your data", body=body))

    async def download(request: web.Request) -> web.Response:
        hashed = token_hash(request.match_info["token"])
        now = runtime.services.clock.now()
        async with runtime.db.transaction() as session:
            person_id = await ExportTokenRepository(session).redeem(hashed, now)
            person = await Repositories(session).people.get(person_id) if person_id is not None else None
            if person is None:
                return _page(GONE, status=410)
            record = await export_record(session, runtime.services.sealer, person, now)
            await Repositories(session).audit.record(
                actor=person.identity or f"person:{person_id}", action="data.exported", now=now, target="link"
            )
        log.info("export link used (person %s)", person_id)
        return web.Response(
            body=json.dumps(record, ensure_ascii=False, indent=2).encode(),
            content_type="application/json",
            headers={**HEADERS, "Content-Disposition": 'attachment; filename="leadwell-my-data.json"'},
        )

    app.router.add_get("/export/{token}", show)
    app.router.add_post("/export/{token}", download)
