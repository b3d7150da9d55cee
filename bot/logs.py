"""Logging: text or JSON lines, never message bodies, never secrets.

Slack's and the Bot Framework's libraries log request bodies at DEBUG; their
loggers are held at WARNING. A filter masks anything shaped like a token.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime

SECRET_SHAPES = re.compile(
    r"(xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|Bearer\s+[A-Za-z0-9._~+/=-]+|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9._-]+)"
)
CHATTY = ("slack_bolt", "slack_sdk", "botbuilder", "botframework", "msal", "urllib3", "asyncio", "aiosqlite", "bm25s")


def mask(text: str) -> str:
    return SECRET_SHAPES.sub("[secret]", text)


class QuietLibraries(logging.Filter):
    """Below WARNING, nothing from the chatty libraries, whatever level they set themselves on import
    (bm25s sets its own logger to DEBUG when it is first imported, which may be after start-up)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or record.name.split(".", 1)[0] not in CHATTY


class MaskSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(record.getMessage())
        record.args = None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["error"] = mask(self.formatException(record.exc_info))
        return json.dumps(entry)


def configure_logging(fmt: str = "text", level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(QuietLibraries())
    handler.addFilter(MaskSecrets())
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.WARNING)
    # Bolt's warnings about unhandled requests quote the request body.
    logging.getLogger("slack_bolt").setLevel(logging.ERROR)
