"""Wiring: settings → database, router, services and the conversation core, built once per process."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

from bot.engine import TurnEngine
from bot.secrets_store import sealing_secret
from bot.settings import Settings
from handlers import build_router
from handlers.clock import Clock, SystemClock
from handlers.context import HandlerConfig, Services
from handlers.conversation import Conversation
from handlers.roles import sync_admins
from handlers.router import Router
from handlers.sealing import Sealer
from handlers.tokens import Signer
from knowledge import KnowledgeBase, load_practices, load_prompts
from knowledge.signposts import load_signposts
from storage import Database
from storage.repositories import Repositories


@dataclass
class Runtime:
    """Everything a process (serve, worker, chat) shares."""

    settings: Settings
    db: Database
    router: Router
    services: Services
    conversation: Conversation
    signer: Signer

    async def start(self) -> None:
        """Start-up work before the first turn: bring roles in line with LEADWELL_ADMINS (audited)."""
        async with self.db.transaction() as session:
            await sync_admins(Repositories(session), self.settings.admin_set, self.services.clock.now())

    async def close(self) -> None:
        await self.db.dispose()


def handler_config(settings: Settings) -> HandlerConfig:
    return HandlerConfig(
        default_timezone=settings.timezone,
        admins=settings.admin_set,
        reminder_after=settings.reminder_after,
        public_url=settings.public_url.rstrip("/") if settings.public_url else None,
        retention_days=settings.retention_days,
        announce_approval_over=settings.announce_approval_over if settings.announce_approval else None,
        edit_rates={"slack": settings.slack_edit_rate, "teams": settings.teams_edit_rate},
    )


def build_runtime(settings: Settings, *, clock: Clock | None = None, knowledge: KnowledgeBase | None = None) -> Runtime:
    """Build once per process: loading the knowledge base builds its search index."""
    db = Database(settings.database_url)
    router = build_router()
    secret = sealing_secret(settings)
    services = Services(
        clock=clock or SystemClock(),
        config=handler_config(settings),
        knowledge=knowledge or KnowledgeBase.load(),
        prompts=load_prompts(),
        practices=load_practices(),
        signposts=load_signposts(),
        sealer=Sealer(secret),
    )
    if services.signposts is not None:
        # Built now, not on the first message: compiling the detector (it loads an English word list)
        # takes about a second of CPU that would otherwise stall the event loop mid-traffic.
        services.signposts.detector  # noqa: B018 - a cached property, evaluated for its side effect
    return Runtime(
        settings=settings,
        db=db,
        router=router,
        services=services,
        conversation=Conversation(db, router, services),
        signer=Signer(secret),
    )


def build_engine(runtime: Runtime) -> TurnEngine:
    """The turn engine every adapter of this process shares."""
    return TurnEngine(
        db=runtime.db,
        conversation=runtime.conversation,
        clock=runtime.services.clock,
        owner=f"{socket.gethostname()}:{os.getpid()}",
        parallel=1 if runtime.db.is_sqlite else 8,
        sealer=runtime.services.sealer,
    )
