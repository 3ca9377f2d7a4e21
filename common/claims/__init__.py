"""Authorization claims for Cognito tokens, derived only from server-owned data (groups, the profile table).

``settings`` (configuration, validated at start-up), ``reserved`` (claims Cognito owns), ``request`` (reading the
event, V1/V2/V3), ``roles`` (the role rule), ``scopes`` (role → access-token scopes), ``profile_source`` (profile
reads and self-repair under a deadline), ``response`` (the response object and the size budget), ``service``
(the orchestration the handler calls). See docs/authorization.md.
"""

from common.claims.profile_source import GuardedProfileStore
from common.claims.response import ClaimsBudgetError, ClaimsDecision
from common.claims.service import ClaimsIssuer
from common.claims.settings import ClaimsSettings

__all__ = ["ClaimsBudgetError", "ClaimsDecision", "ClaimsIssuer", "ClaimsSettings", "GuardedProfileStore"]
