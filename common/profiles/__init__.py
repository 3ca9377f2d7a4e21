"""User profiles: the server-owned record of each confirmed user, keyed by the Cognito ``sub``.

``model`` holds the data type and the :class:`ProfileStore` interface; ``memory`` an in-memory fake with the same
behaviour for tests; ``dynamodb`` the production store (the only module here that talks to AWS).
"""

from common.profiles.model import Profile, ProfileStore, profile_from_attributes

__all__ = ["Profile", "ProfileStore", "profile_from_attributes"]
