"""The local mailbox: every message Cognito would have sent, as a JSON file and over HTTP.

Files go to ``<state dir>/outbox/<n>-<trigger source>.json``; ``GET /_local/outbox?to=<address>`` lists them.
"""

from __future__ import annotations

import html
import json
import re
import threading
import time
from pathlib import Path
from typing import Any

__all__ = ["Outbox", "plain_text"]

_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<\s*(br|/p|/div|/h\d|/li|/tr)\s*/?>", re.IGNORECASE)


def plain_text(body: str) -> str:
    """A readable plain-text version of an HTML (or plain) message body."""
    text = _BREAK.sub("\n", body)
    text = html.unescape(_TAG.sub("", text))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line).strip()


class Outbox:
    """Stores delivered messages."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._messages: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def deliver(
        self, *, to: str, subject: str, body: str, code: str | None, trigger_source: str, username: str
    ) -> dict[str, Any]:
        """Store one message and return it."""
        with self._lock:
            number = len(self._messages) + 1
            message = {
                "id": number,
                "to": to,
                "subject": subject,
                "body": body,
                "text": plain_text(body),
                "code": code,
                "trigger_source": trigger_source,
                "username": username,
                "sent_at": time.time(),
            }
            self._messages.append(message)
            path = self.folder / f"{number:05d}-{trigger_source}.json"
            path.write_text(json.dumps(message, indent=2, ensure_ascii=False), encoding="utf-8")
        return message

    def messages(self, to: str | None = None) -> list[dict[str, Any]]:
        """Messages, oldest first, optionally only those to one address (case-insensitive)."""
        with self._lock:
            messages = list(self._messages)
        if to is None:
            return messages
        return [m for m in messages if m["to"].lower() == to.lower()]
