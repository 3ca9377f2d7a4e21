"""The auth HTTP API (docs/api.md): the HTTP layer only. Routes parse a request, make one call into a
``common.auth`` service and return a model; errors become responses in ``api.errors`` alone."""
