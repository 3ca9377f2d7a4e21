"""The sign-up policy: who may create an account, with which address and attributes.

Modules, one job each: ``settings`` (the typed settings), ``email`` (canonical form, syntax), ``domains``
(allow/deny/disposable), ``attributes`` (privileged attributes), ``claim_model`` (email-claim records and the store
interface), ``email_claims`` (the DynamoDB store), ``memory_claims`` (an in-memory fake), ``directory`` (the Cognito
calls: does a user exist, link a provider), ``policy`` (the pure decision), ``service`` (the pre-sign-up use case
that ties them together) and ``refusals`` (localized, user-safe errors). Only ``email_claims`` and ``directory``
talk to AWS.
"""

from common.signup.email import canonical_email, check_syntax
from common.signup.email_claims import DynamoDbEmailClaims
from common.signup.settings import SignupSettings

__all__ = ["DynamoDbEmailClaims", "SignupSettings", "canonical_email", "check_syntax"]
