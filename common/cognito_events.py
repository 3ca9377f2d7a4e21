"""The trigger sources Cognito sends to each trigger, from the Cognito developer guide.

Each handler accepts exactly its own set; anything else is refused (fail closed) with a user-safe message.
"""

from __future__ import annotations

__all__ = [
    "CUSTOM_MESSAGE_SOURCES",
    "POST_CONFIRMATION_SOURCES",
    "PRE_SIGN_UP_SOURCES",
    "PRE_TOKEN_GENERATION_SOURCES",
]

PRE_SIGN_UP_SOURCES = frozenset(
    {"PreSignUp_SignUp", "PreSignUp_AdminCreateUser", "PreSignUp_ExternalProvider"},
)
POST_CONFIRMATION_SOURCES = frozenset(
    {"PostConfirmation_ConfirmSignUp", "PostConfirmation_ConfirmForgotPassword"},
)
PRE_TOKEN_GENERATION_SOURCES = frozenset(
    {
        "TokenGeneration_HostedAuth",
        "TokenGeneration_Authentication",
        "TokenGeneration_NewPasswordChallenge",
        "TokenGeneration_AuthenticateDevice",
        "TokenGeneration_RefreshTokens",
        # V3_0 only: an app client's machine-to-machine (client-credentials) access token, no user.
        "TokenGeneration_ClientCredentials",
    },
)
CUSTOM_MESSAGE_SOURCES = frozenset(
    {
        "CustomMessage_SignUp",
        "CustomMessage_AdminCreateUser",
        "CustomMessage_ResendCode",
        "CustomMessage_ForgotPassword",
        "CustomMessage_UpdateUserAttribute",
        "CustomMessage_VerifyUserAttribute",
        "CustomMessage_Authentication",
    },
)
