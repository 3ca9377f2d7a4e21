"""The auth HTTP API (docs/api.md): the HTTP layer only. Routes parse a request, make one call into a
``common.auth`` service and return a model; errors become responses in ``api.errors`` alone.

Importing the package first pauses the cyclic garbage collector for the rest of the Lambda init; ``api.app.handler``
resumes it when the first request ends (``common/startup_gc.py`` says why).
"""

from common.startup_gc import pause_during_init

pause_during_init()
