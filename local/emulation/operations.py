"""The Cognito operations the emulation handles; every other operation goes to moto unchanged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from local.emulation import attributes, auth, passwords, signup
from local.emulation.context import Emulation

__all__ = ["OPERATIONS", "Operation"]

Operation = Callable[[Emulation, dict[str, Any]], dict[str, Any]]

OPERATIONS: dict[str, Operation] = {
    "SignUp": signup.sign_up,
    "AdminCreateUser": signup.admin_create_user,
    "ConfirmSignUp": signup.confirm_sign_up,
    "AdminConfirmSignUp": signup.admin_confirm_sign_up,
    "ResendConfirmationCode": signup.resend_confirmation_code,
    "ForgotPassword": passwords.forgot_password,
    "ConfirmForgotPassword": passwords.confirm_forgot_password,
    "InitiateAuth": auth.initiate_auth,
    "AdminInitiateAuth": auth.admin_initiate_auth,
    "RespondToAuthChallenge": auth.respond_to_auth_challenge,
    "AdminRespondToAuthChallenge": auth.admin_respond_to_auth_challenge,
    "RevokeToken": auth.revoke_token,
    "AdminUserGlobalSignOut": auth.admin_user_global_sign_out,
    "UpdateUserAttributes": attributes.update_user_attributes,
    "GetUserAttributeVerificationCode": attributes.get_user_attribute_verification_code,
    "VerifyUserAttribute": attributes.verify_user_attribute,
}
