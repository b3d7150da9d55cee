"""Helpers to run the real `leadwell` command in a subprocess."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

LEADWELL = str(Path(sys.executable).parent / "leadwell")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def leadwell_env(**settings: str) -> dict[str, str]:
    """The current environment without LeadWell/Slack/Teams settings, plus `settings`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.upper().startswith(("LEADWELL_", "SLACK_", "MICROSOFTAPP"))
    }
    env.update(settings)
    return env
