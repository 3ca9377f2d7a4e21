"""The sign-up policy's settings: one typed, frozen object read once from the environment.

Every variable is optional with a safe default, so any function (post-confirmation, the API) can build the same
object to canonicalize addresses exactly like the pre-sign-up gate does. The defaults are the conservative ones:
nothing is auto-confirmed, disposable domains are refused, duplicates are not revealed, nothing is linked.
Names, defaults and meaning are documented in ``docs/signup-policy.md``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from common.config import Environment, environment
from common.errors import ConfigurationError

__all__ = ["BUILT_IN_PRIVILEGED_ATTRIBUTES", "WILDCARD", "SignupSettings"]

#: Attribute base names (with or without the ``custom:`` prefix) a user may never set at sign-up: roles and
#: tenancy are server-owned (groups, the profile table), never user-writable attributes.
BUILT_IN_PRIVILEGED_ATTRIBUTES = frozenset(
    {"role", "roles", "tenant", "tenant_id", "tenantid", "groups", "group", "admin", "is_admin", "permissions"},
)
#: In a folding list, ``*`` means "every domain".
WILDCARD = "*"

_DOMAIN = re.compile(r"(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*")
_CUSTOM = re.compile(r"custom:[A-Za-z0-9_.:-]{1,20}")
_PROVIDER = re.compile(r"[^_\s][^\s]{0,31}")
_DAY = 86_400


def _domains(env: Environment, name: str, *, wildcard: bool = False) -> frozenset[str]:
    """A comma-separated list of bare domain names (``example.com``), lower-cased and validated."""
    result: set[str] = set()
    for raw in env.items(name):
        domain = raw.lower().rstrip(".")
        if wildcard and domain == WILDCARD:
            result.add(WILDCARD)
            continue
        if domain.startswith("@"):
            domain = domain[1:]
        if not _DOMAIN.fullmatch(domain):
            raise ConfigurationError(f"environment variable {name} has an invalid domain name: {raw!r}")
        result.add(domain)
    return frozenset(result)


def _aliases(env: Environment, name: str) -> Mapping[str, str]:
    """``googlemail.com=gmail.com,...``: domains that deliver to the same mailboxes as another domain."""
    aliases: dict[str, str] = {}
    for raw in env.items(name):
        alias, sep, target = (part.strip().lower() for part in raw.partition("="))
        if not sep or not _DOMAIN.fullmatch(alias) or not _DOMAIN.fullmatch(target) or alias == target:
            raise ConfigurationError(f"environment variable {name} entries must look like alias.com=target.com")
        aliases[alias] = target
    return MappingProxyType(aliases)


def _custom_attributes(env: Environment, name: str) -> frozenset[str]:
    names = env.items(name)
    for item in names:
        if not _CUSTOM.fullmatch(item):
            raise ConfigurationError(f"environment variable {name} entries must be custom:<name>: {item!r}")
        if item.removeprefix("custom:").lower() in BUILT_IN_PRIVILEGED_ATTRIBUTES:
            raise ConfigurationError(f"environment variable {name} cannot allow the privileged attribute {item}")
    return frozenset(names)


def _providers(env: Environment, name: str) -> tuple[str, ...]:
    names = env.items(name)
    for item in names:
        if not _PROVIDER.fullmatch(item):
            raise ConfigurationError(f"environment variable {name} has an invalid provider name: {item!r}")
    return names


@dataclass(frozen=True)
class SignupSettings:
    """Everything the sign-up policy decides by. Build it with :meth:`from_env`, once per process."""

    #: DynamoDB table of email claims (``EMAIL_CLAIMS_TABLE_NAME``); only pre-sign-up and post-confirmation need it.
    claims_table_name: str | None = None
    #: Treat ``Jane@x.com`` and ``jane@x.com`` as one address (the pool's usernames are case-insensitive too).
    lowercase_local_part: bool = True
    #: Domains whose ``+tag`` suffix is dropped (``jane+news@x.com`` → ``jane@x.com``); ``*`` for every domain.
    fold_plus_domains: frozenset[str] = frozenset()
    #: Domains that ignore dots in the local part (``gmail.com``); ``*`` for every domain.
    fold_dots_domains: frozenset[str] = frozenset()
    #: Domain aliases applied before folding (``googlemail.com`` → ``gmail.com``).
    domain_aliases: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: When non-empty, only these domains (and their subdomains) may sign up.
    allowed_domains: frozenset[str] = frozenset()
    #: These domains (and their subdomains) may never sign up.
    denied_domains: frozenset[str] = frozenset()
    #: Refuse the bundled list of disposable-email domains (an allow-listed domain is never refused as disposable).
    block_disposable: bool = True
    #: Sign-ups from these domains are confirmed and their email marked verified without a code.
    auto_confirm_domains: frozenset[str] = frozenset()
    #: Users created by an administrator (AdminCreateUser) get their email marked verified.
    auto_verify_admin_created: bool = False
    #: Extra attribute names (exact, e.g. ``custom:plan``) only the server may set.
    server_owned_attributes: frozenset[str] = frozenset()
    #: ``custom:`` attributes a user may set at sign-up; every other ``custom:`` attribute is refused.
    allowed_custom_attributes: frozenset[str] = frozenset()
    #: Say "an account already exists" instead of a neutral refusal (reveals which addresses have accounts).
    reveal_existing_accounts: bool = False
    #: Seconds an unconfirmed sign-up holds its address before another sign-up may take it over.
    unconfirmed_claim_seconds: int = 2 * _DAY
    #: When an address is held by a claim older than a short grace period, ask Cognito (AdminGetUser) whether the
    #: holder still exists, and take the address over if not (deleted accounts, creations that failed later).
    verify_stale_claims: bool = True
    #: External identity providers (pool IdP names) whose verified emails are linked onto an existing native
    #: account with AdminLinkProviderForUser. Empty: linking is off and such sign-ins are refused as duplicates.
    link_providers: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, env: Environment | None = None) -> SignupSettings:
        """Read and validate every ``SIGNUP_*`` variable (and ``EMAIL_CLAIMS_TABLE_NAME``)."""
        env = env or environment()
        allowed = _domains(env, "SIGNUP_ALLOWED_DOMAINS")
        denied = _domains(env, "SIGNUP_DENIED_DOMAINS")
        if overlap := allowed & denied:
            raise ConfigurationError(
                "SIGNUP_ALLOWED_DOMAINS and SIGNUP_DENIED_DOMAINS both list: " + ", ".join(sorted(overlap)),
            )
        auto_confirm = _domains(env, "SIGNUP_AUTO_CONFIRM_DOMAINS")
        if blocked := {d for d in auto_confirm if d in denied}:
            raise ConfigurationError("SIGNUP_AUTO_CONFIRM_DOMAINS lists denied domains: " + ", ".join(sorted(blocked)))
        custom = _custom_attributes(env, "SIGNUP_ALLOWED_CUSTOM_ATTRIBUTES")
        server_owned = frozenset(env.items("SIGNUP_SERVER_OWNED_ATTRIBUTES"))
        if both := custom & server_owned:
            raise ConfigurationError(
                "SIGNUP_ALLOWED_CUSTOM_ATTRIBUTES and SIGNUP_SERVER_OWNED_ATTRIBUTES both list: "
                + ", ".join(sorted(both)),
            )
        return cls(
            claims_table_name=env.optional("EMAIL_CLAIMS_TABLE_NAME"),
            lowercase_local_part=env.flag("SIGNUP_LOWERCASE_LOCAL_PART", default=True),
            fold_plus_domains=_domains(env, "SIGNUP_FOLD_PLUS_DOMAINS", wildcard=True),
            fold_dots_domains=_domains(env, "SIGNUP_FOLD_DOTS_DOMAINS", wildcard=True),
            domain_aliases=_aliases(env, "SIGNUP_DOMAIN_ALIASES"),
            allowed_domains=allowed,
            denied_domains=denied,
            block_disposable=env.flag("SIGNUP_BLOCK_DISPOSABLE", default=True),
            auto_confirm_domains=auto_confirm,
            auto_verify_admin_created=env.flag("SIGNUP_AUTO_VERIFY_ADMIN_CREATED", default=False),
            server_owned_attributes=server_owned,
            allowed_custom_attributes=custom,
            reveal_existing_accounts=env.flag("SIGNUP_REVEAL_EXISTING_ACCOUNTS", default=False),
            unconfirmed_claim_seconds=env.integer(
                "SIGNUP_UNCONFIRMED_CLAIM_SECONDS", 2 * _DAY, minimum=1, maximum=366 * _DAY
            ),
            verify_stale_claims=env.flag("SIGNUP_VERIFY_STALE_CLAIMS", default=True),
            link_providers=_providers(env, "SIGNUP_LINK_PROVIDERS"),
        )

    def require_claims_table(self) -> str:
        """The claims table name, for the functions that cannot work without it."""
        if not self.claims_table_name:
            raise ConfigurationError("environment variable EMAIL_CLAIMS_TABLE_NAME is required")
        return self.claims_table_name
