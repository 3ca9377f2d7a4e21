"""Branded, localized, safe Cognito messages (emails and SMS) for the CustomMessage trigger.

Layers: ``text`` (sanitizing user values), ``settings`` (configuration), ``catalog`` (template files), ``render``
(one message plus Cognito's rules), ``cognito`` (the event glue), ``preview`` (``scripts/render-emails``, not
used by the function). Nothing here imports boto3: the function makes
no AWS call, so its cold start stays close to bare Python. See ``docs/messages.md``.
"""

from __future__ import annotations

from common.messages.errors import MessageError, MessageRuleError, TemplateError
from common.messages.render import MessageContext, RenderedMessage, render_message, validate_language
from common.messages.settings import MessageSettings

__all__ = [
    "MessageContext",
    "MessageError",
    "MessageRuleError",
    "MessageSettings",
    "RenderedMessage",
    "TemplateError",
    "render_message",
    "validate_language",
]
