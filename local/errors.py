"""AWS-shaped errors: what every client (boto3, the AWS CLI, the JS SDK) understands.

Anything the local endpoint rejects is raised as :class:`AwsError` and rendered as the JSON-protocol error body
``{"__type": ..., "message": ...}`` with a 4xx status, never as a stack trace.
"""

from __future__ import annotations

import json

__all__ = ["AwsError", "error_body"]


class AwsError(Exception):
    """An error with an AWS error code (``__type``), a message and an HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status

    def body(self) -> bytes:
        """The JSON-protocol error body."""
        return error_body(self.code, self.message)


def error_body(code: str, message: str) -> bytes:
    """``{"__type": code, "message": message}`` as bytes."""
    return json.dumps({"__type": code, "message": message}).encode()
