"""The auth API's domain: Cognito calls behind a gateway, SecretHash, settings, caller claims, and the one map from
errors to HTTP answers.

Layering: ``gateway`` and ``client_secret`` are the only modules here that talk to AWS (through a client passed
in). ``service`` holds the rules (no user enumeration, self-lockout guard, profile edits) and is unit-tested with
fakes. The HTTP layer (``api/``) only parses requests, calls ``service`` and renders answers.
"""
