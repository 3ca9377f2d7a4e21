"""Command line for :mod:`common.profiles.reconcile` (``scripts/reconcile`` runs it).

Configuration comes from the same variables the functions use (``USER_POOL_ID``, ``PROFILE_TABLE_NAME``,
``EMAIL_CLAIMS_TABLE_NAME``, ``DEFAULT_GROUP``, the ``SIGNUP_*`` canonicalization settings), each overridable by a
flag. AWS credentials, region and endpoint follow the AWS SDK's usual variables (``AWS_PROFILE``,
``AWS_DEFAULT_REGION``, ``AWS_ENDPOINT_URL`` for the local stack).

Exit status: 0 complete without failures; 1 complete with failures (listed in the report); 2 bad usage or
configuration; 3 incomplete (stopped by ``--max-pages``, a listing error or Ctrl-C): run again with ``--resume``.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from common.config import Environment, environment
from common.errors import ConfigurationError, DependencyError
from common.profiles.cognito import MAX_PAGE_SIZE, CognitoUserDirectory
from common.profiles.dynamodb import DynamoDbProfileStore
from common.profiles.reconcile import MAX_RATE_PER_SECOND, Checkpoint, RateLimiter, ReconcileError, Reconciler, Report
from common.signup.email import canonical_email
from common.signup.email_claims import DynamoDbEmailClaims
from common.signup.settings import SignupSettings

__all__ = ["ReconcileSettings", "main"]

EXIT_OK, EXIT_FAILURES, EXIT_USAGE, EXIT_INCOMPLETE = 0, 1, 2, 3


@dataclass(frozen=True)
class ReconcileSettings:
    """Defaults for the command's flags, from the environment."""

    pool_id: str | None = None
    profile_table_name: str | None = None
    email_claims_table_name: str | None = None
    default_group: str = "user"
    signup: SignupSettings = field(default_factory=SignupSettings)

    @classmethod
    def from_env(cls, env: Environment | None = None) -> ReconcileSettings:
        env = env or environment()
        return cls(
            pool_id=env.optional("USER_POOL_ID"),
            profile_table_name=env.optional("PROFILE_TABLE_NAME"),
            email_claims_table_name=env.optional("EMAIL_CLAIMS_TABLE_NAME"),
            default_group=env.text("DEFAULT_GROUP", "user"),
            signup=SignupSettings.from_env(env),
        )


def _parser(settings: ReconcileSettings) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reconcile",
        description="Create the missing profiles and default-group memberships of confirmed users. "
        "Dry run unless --apply. Reports user ids (sub), never emails.",
    )
    parser.add_argument("--pool-id", default=settings.pool_id, help="user pool id (env USER_POOL_ID)")
    parser.add_argument("--profiles-table", default=settings.profile_table_name, help="env PROFILE_TABLE_NAME")
    parser.add_argument(
        "--claims-table",
        default=settings.email_claims_table_name,
        help="email-claims table; when given, repaired users' claims are made permanent (env EMAIL_CLAIMS_TABLE_NAME)",
    )
    parser.add_argument("--group", default=settings.default_group, help="default group and role (env DEFAULT_GROUP)")
    parser.add_argument("--apply", action="store_true", help="write the repairs (default: only report)")
    parser.add_argument("--resume", action="store_true", help="continue the run saved in the checkpoint file")
    parser.add_argument("--checkpoint", type=Path, help="checkpoint file (default: reconcile-<pool id>.json)")
    parser.add_argument(
        "--rate",
        type=float,
        default=10.0,
        help=f"Cognito calls per second, at most {MAX_RATE_PER_SECOND:g} (ListUsers quota: 30/s, shared)",
    )
    parser.add_argument("--max-pages", type=int, help="stop after this many pages (continue later with --resume)")
    parser.add_argument(
        "--page-size", type=int, default=MAX_PAGE_SIZE, help=f"users per ListUsers page, 1-{MAX_PAGE_SIZE}"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    return parser


def _reconciler(args: argparse.Namespace, settings: ReconcileSettings) -> Reconciler:
    claims = DynamoDbEmailClaims(args.claims_table) if args.claims_table else None
    return Reconciler(
        directory=CognitoUserDirectory(args.pool_id),
        profiles=DynamoDbProfileStore(args.profiles_table),
        canonicalize=partial(canonical_email, settings=settings.signup),
        default_group=args.group,
        role=args.group,
        limiter=RateLimiter(args.rate),
        claims=claims,
        page_size=args.page_size,
    )


def _print(report: Report, args: argparse.Namespace) -> None:
    text = json.dumps(report.to_json(), indent=1, sort_keys=True) if args.json else report.render(args.group)
    sys.stdout.write(text + "\n")


def main(argv: list[str] | None = None, reconciler: Reconciler | None = None) -> int:
    """Run the command; ``reconciler`` replaces the AWS wiring in tests."""
    try:
        settings = ReconcileSettings.from_env()
    except ConfigurationError as exc:
        sys.stderr.write(f"reconcile: {exc}\n")
        return EXIT_USAGE
    parser = _parser(settings)
    args = parser.parse_args(argv)
    if reconciler is None:
        missing = [
            flag
            for flag, value in (("--pool-id", args.pool_id), ("--profiles-table", args.profiles_table))
            if not value
        ]
        if missing:
            parser.error(f"missing {' and '.join(missing)} (or USER_POOL_ID / PROFILE_TABLE_NAME)")
        if not 0 < args.rate <= MAX_RATE_PER_SECOND:
            parser.error(f"--rate must be within (0, {MAX_RATE_PER_SECOND:g}]")
        reconciler = _reconciler(args, settings)
    if args.max_pages is not None and args.max_pages < 1:
        parser.error("--max-pages must be at least 1")
    if not 1 <= args.page_size <= MAX_PAGE_SIZE:
        parser.error(f"--page-size must be within [1, {MAX_PAGE_SIZE}]")
    checkpoint = Checkpoint(args.checkpoint or Path(f"reconcile-{reconciler.directory.pool_id}.json"))
    try:
        report = reconciler.run(apply=args.apply, checkpoint=checkpoint, resume=args.resume, max_pages=args.max_pages)
    except ReconcileError as exc:
        sys.stderr.write(f"reconcile: {exc}\n")
        return EXIT_USAGE
    except (DependencyError, KeyboardInterrupt) as exc:
        reason = "interrupted" if isinstance(exc, KeyboardInterrupt) else str(exc)
        sys.stderr.write(f"reconcile: stopped ({reason}); progress is in {checkpoint.path}: run again with --resume\n")
        return EXIT_INCOMPLETE
    _print(report, args)
    if not report.complete:
        sys.stderr.write(f"reconcile: stopped after {report.pages} page(s); continue with --resume\n")
        return EXIT_INCOMPLETE
    return EXIT_FAILURES if report.failures else EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
