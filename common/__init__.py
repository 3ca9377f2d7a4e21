"""Shared domain code for the Cognito user-management backend.

Layer rules (also in the README): handlers in ``triggers/`` and ``api/`` import from ``common``; ``common``
never imports from handlers; only the data-access modules (``common/aws.py`` and the ``*_store``/``dynamodb``
modules) touch AWS clients (botocore's, built in ``common/aws.py``); nothing outside ``common/config.py`` and the
settings objects reads ``os.environ``.
"""
