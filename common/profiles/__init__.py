"""User profiles: the server-owned record of each confirmed user, keyed by the Cognito ``sub``.

``model`` holds the data type and the :class:`ProfileStore` interface; ``memory`` an in-memory fake with the same
behaviour for tests; ``dynamodb`` the production store and ``cognito`` the group and listing calls (the only
modules here that talk to AWS). ``onboarding`` is the post-confirmation use case (profile, default group, email
claim, in parallel under a time budget) and ``post_confirmation`` its settings, wiring, logs and metrics;
``reconcile`` (with ``reconcile_cli``, run by ``scripts/reconcile``) repairs a whole pool. See docs/profiles.md.
"""

from common.profiles.model import Profile, ProfileStore, profile_from_attributes

__all__ = ["Profile", "ProfileStore", "profile_from_attributes"]
