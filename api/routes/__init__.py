"""One router per area: ``auth`` (public account flows), ``me`` (the caller's profile), ``admin`` (admin only)."""
