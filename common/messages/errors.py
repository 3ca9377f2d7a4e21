"""Why a message could not be rendered. Never shown to a user: the trigger leaves Cognito's default instead."""

from __future__ import annotations

from common.errors import AppError

__all__ = ["MessageError", "MessageRuleError", "TemplateError"]


class MessageError(AppError):
    """Base class: a message could not be built, so Cognito must send its own default."""


class TemplateError(MessageError):
    """A template file is missing, malformed, or uses a variable its field may not use. Caught by the test suite
    (every shipped language is loaded and validated there), never by a user's sign-up."""


class MessageRuleError(MessageError):
    """A rendered message breaks one of Cognito's rules (placeholders, lengths); ``problems`` lists each one."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = tuple(problems)
