"""The sign-up policy: who may create an account, with which address and attributes.

Modules, one job each: ``settings`` (the typed settings), ``email`` (canonical form, syntax), ``domains``
(allow/deny/disposable), ``attributes`` (privileged attributes), ``claim_model`` (email-claim records and the store
interface), ``email_claims`` (the DynamoDB store), ``memory_claims`` (an in-memory fake), ``directory`` (the Cognito
calls: does a user exist, link a provider), ``policy`` (the pure decision), ``service`` (the pre-sign-up use case
that ties them together) and ``refusals`` (localized, user-safe errors). Only ``email_claims`` and ``directory``
talk to AWS.

Only the pure pieces are re-exported here: importing any ``common.signup`` module runs this file, and the
functions that merely canonicalize addresses must not load the stores.
"""

from common.signup.email import canonical_email, check_syntax
from common.signup.settings import SignupSettings

__all__ = ["SignupSettings", "canonical_email", "check_syntax"]
