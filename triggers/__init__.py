"""The Cognito trigger handlers: thin adapters from a Cognito event to ``common``.

Importing any of them first pauses the cyclic garbage collector for the rest of the Lambda init; the trigger
wrapper resumes it when the first invocation ends (``common/startup_gc.py`` says why: ~40 ms of cold start).
"""

from common.startup_gc import pause_during_init

pause_during_init()
