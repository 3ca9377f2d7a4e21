"""Render every email of every shipped language to files a person can open in a browser.

``scripts/render-emails [--out build/emails] [--placeholders]`` writes ``<language>/<source>.html`` (each email
exactly as the trigger returns it, with Cognito's placeholders filled in with sample values the way Cognito fills
them, unless ``--placeholders`` keeps them) and an ``index.html`` listing every subject and SMS. Settings come from
the environment (``APP_NAME``, ``SUPPORT_EMAIL``, the link URLs...), like the deployed function's.

Not used by the Lambda function; it lives here so that it is linted, type-checked and tested with the templates.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from common.cognito_events import CUSTOM_MESSAGE_SOURCES
from common.messages.catalog import ADMIN_CREATE_USER, message_languages
from common.messages.render import (
    COGNITO_CODE_PARAMETER,
    COGNITO_USERNAME_PARAMETER,
    MessageContext,
    RenderedMessage,
    render_message,
)
from common.messages.settings import MessageSettings
from common.messages.text import escape_html

__all__ = ["SAMPLE_CODE", "SAMPLE_NAMES", "SAMPLE_USERNAME", "Preview", "main", "render_previews", "write_previews"]

SAMPLE_CODE = "482913"
SAMPLE_USERNAME = "jane.doe@example.com"
SAMPLE_NAMES = {"en": "Jane Doe", "ko": "김민수"}


@dataclass(frozen=True)
class Preview:
    """One rendered message and where its email goes."""

    language: str
    source: str
    message: RenderedMessage

    @property
    def filename(self) -> str:
        return f"{self.language}/{self.source.removeprefix('CustomMessage_')}.html"


def render_previews(settings: MessageSettings, *, placeholders: bool = False) -> list[Preview]:
    """Every source in every shipped language, with sample values (or Cognito's placeholders kept)."""
    previews = []
    for language in sorted(message_languages()):
        for source in sorted(CUSTOM_MESSAGE_SOURCES):
            context = MessageContext(
                source=source,
                language=language,
                code_parameter=COGNITO_CODE_PARAMETER,
                username_parameter=COGNITO_USERNAME_PARAMETER if source == ADMIN_CREATE_USER else None,
                user_name="6f5e4d3c-2b1a-4098-8765-43210fedcba9",
                display_name=SAMPLE_NAMES.get(language, "Jane Doe"),
            )
            message = render_message(context, settings)
            if not placeholders:
                message = RenderedMessage(
                    email_subject=_fill(message.email_subject),
                    email_message=_fill(message.email_message),
                    sms_message=_fill(message.sms_message),
                )
            previews.append(Preview(language, source, message))
    return previews


def write_previews(previews: Sequence[Preview], out: Path) -> list[Path]:
    """Write each email and an index page; return the written paths (index last)."""
    written = []
    for preview in previews:
        path = out / preview.filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(preview.message.email_message, encoding="utf-8")
        written.append(path)
    index = out / "index.html"
    index.write_text(_index(previews), encoding="utf-8")
    written.append(index)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="render-emails", description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=Path("build/emails"), help="output folder (build/emails)")
    parser.add_argument("--placeholders", action="store_true", help="keep {####} and {username} as Cognito gets them")
    args = parser.parse_args(argv)
    written = write_previews(render_previews(MessageSettings.from_env(), placeholders=args.placeholders), args.out)
    sys.stdout.write(f"wrote {len(written) - 1} emails; open {written[-1]}\n")
    return 0


def _fill(text: str) -> str:
    return text.replace(COGNITO_CODE_PARAMETER, SAMPLE_CODE).replace(COGNITO_USERNAME_PARAMETER, SAMPLE_USERNAME)


def _index(previews: Sequence[Preview]) -> str:
    rows = "\n".join(
        f"<tr><td>{escape_html(p.language)}</td><td>{escape_html(p.source)}</td>"
        f'<td><a href="{escape_html(p.filename)}">{escape_html(p.message.email_subject)}</a></td>'
        f"<td>{escape_html(p.message.sms_message)}</td><td>{len(p.message.sms_message)}</td></tr>"
        for p in previews
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Rendered Cognito messages</title>\n'
        "<style>body{font-family:sans-serif;margin:2em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}"
        "table{border-collapse:collapse}</style></head>\n<body>\n<h1>Rendered Cognito messages</h1>\n"
        "<table><tr><th>Language</th><th>Source</th><th>Email subject (opens the email)</th><th>SMS</th>"
        f"<th>SMS length</th></tr>\n{rows}\n</table>\n</body>\n</html>\n"
    )


if __name__ == "__main__":
    raise SystemExit(main())
