"""The DynamoDB email-claims store (``EmailClaimsTable``: key ``email``, TTL attribute ``expiresAt``).

Every write is one conditional request, so two racing sign-ups for one address cannot both win, and a retried
invocation by Cognito finds its own claim and succeeds without writing. Expiry is checked in the condition
itself because DynamoDB's TTL deletion is lazy (an expired item can linger for a while). A lost race is read back
from the same request (``ReturnValuesOnConditionCheckFailure``), with a consistent ``GetItem`` as a fallback for
endpoints that do not return the item.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from common.aws import aws_error_code
from common.errors import DependencyError
from common.observability import logger, mask_email, metrics
from common.signup.claim_model import ClaimOutcome, ClaimResult, ClaimStatus, ConfirmResult, EmailClaim
from common.signup.clock import Clock, iso, system_clock

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

__all__ = ["DynamoDbEmailClaims", "claim_from_item", "claim_to_item"]

_CONDITIONAL_FAILED = "ConditionalCheckFailedException"


def claim_to_item(claim: EmailClaim) -> dict[str, AttributeValueTypeDef]:
    """The DynamoDB item for a claim (absent optional fields are omitted, not null)."""
    item: dict[str, AttributeValueTypeDef] = {
        "email": {"S": claim.email},
        "userName": {"S": claim.user_name},
        "status": {"S": claim.status.value},
        "source": {"S": claim.source},
        "createdAt": {"S": claim.created_at},
    }
    if claim.expires_at is not None:
        item["expiresAt"] = {"N": str(claim.expires_at)}
    if claim.confirmed_at is not None:
        item["confirmedAt"] = {"S": claim.confirmed_at}
    return item


def claim_from_item(item: dict[str, Any]) -> EmailClaim:
    """Read an item back (tolerant of fields a future version may add)."""
    expires = item.get("expiresAt", {}).get("N")
    return EmailClaim(
        email=item["email"]["S"],
        user_name=item["userName"]["S"],
        status=ClaimStatus(item.get("status", {}).get("S", ClaimStatus.PENDING.value)),
        source=item.get("source", {}).get("S", ""),
        created_at=item.get("createdAt", {}).get("S", ""),
        expires_at=int(expires) if expires is not None else None,
        confirmed_at=item.get("confirmedAt", {}).get("S"),
    )


class DynamoDbEmailClaims:
    """:class:`common.signup.claim_model.EmailClaims` on DynamoDB (low-level client, one request per operation)."""

    def __init__(self, table_name: str, client: DynamoDBClient | None = None, *, clock: Clock = system_clock) -> None:
        self._table = table_name
        self._client_override = client
        self._clock = clock

    @property
    def _client(self) -> DynamoDBClient:
        if self._client_override is not None:
            return self._client_override
        from common.aws import dynamodb_client  # noqa: PLC0415  (keeps boto3 out of pure imports)

        return dynamodb_client()

    def get(self, email: str) -> EmailClaim | None:
        try:
            response = self._client.get_item(TableName=self._table, Key={"email": {"S": email}}, ConsistentRead=True)
        except Exception as exc:
            raise DependencyError(f"reading an email claim failed: {type(exc).__name__}") from exc
        item = response.get("Item")
        return claim_from_item(item) if item else None

    def claim(
        self, claim: EmailClaim, *, now_epoch: int, take_over_expired: bool = True, take_over_pending: bool = False
    ) -> ClaimOutcome:
        conditions = ["attribute_not_exists(email)"]
        values: dict[str, AttributeValueTypeDef] = {}
        request: dict[str, Any] = {
            "TableName": self._table,
            "Item": claim_to_item(claim),
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
        if take_over_expired:
            conditions.append("(attribute_exists(expiresAt) AND expiresAt < :now)")
            values[":now"] = {"N": str(now_epoch)}
        if take_over_pending:
            conditions.append("#status = :pending")
            values[":pending"] = {"S": ClaimStatus.PENDING.value}
            request["ExpressionAttributeNames"] = {"#status": "status"}
        request["ConditionExpression"] = " OR ".join(conditions)
        if values:
            request["ExpressionAttributeValues"] = values
        try:
            self._client.put_item(**request)
        except Exception as exc:
            if aws_error_code(exc) != _CONDITIONAL_FAILED:
                raise DependencyError(f"writing an email claim failed: {type(exc).__name__}") from exc
            holder = self._holder_after_failed_condition(exc, claim.email)
            if holder is None:  # deleted between the write and the read: the caller's retry will win or lose cleanly
                return ClaimOutcome(ClaimResult.TAKEN)
            if holder.user_name == claim.user_name:
                return ClaimOutcome(ClaimResult.ALREADY_HELD, holder)
            return ClaimOutcome(ClaimResult.TAKEN, holder)
        return ClaimOutcome(ClaimResult.CLAIMED)

    def take_over(self, claim: EmailClaim, *, stale: EmailClaim) -> bool:
        try:
            self._client.put_item(
                TableName=self._table,
                Item=claim_to_item(claim),
                ConditionExpression="userName = :holder AND createdAt = :created",
                ExpressionAttributeValues={":holder": {"S": stale.user_name}, ":created": {"S": stale.created_at}},
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except Exception as exc:
            if aws_error_code(exc) != _CONDITIONAL_FAILED:
                raise DependencyError(f"replacing a stale email claim failed: {type(exc).__name__}") from exc
            # A failed condition may be our own earlier attempt: the write landed, its answer was lost, and
            # botocore's retry now finds this very claim in place. That is a take-over, not a lost race.
            holder = self._holder_after_failed_condition(exc, claim.email)
            return holder is not None and (holder.user_name, holder.created_at) == (claim.user_name, claim.created_at)
        return True

    def try_confirm(self, email: str, user_id: str, *, now: str, _attempts: int = 2) -> ConfirmResult:
        try:
            self._client.update_item(
                TableName=self._table,
                Key={"email": {"S": email}},
                UpdateExpression=(
                    "SET userName = :user, #status = :confirmed, confirmedAt = if_not_exists(confirmedAt, :now), "
                    "createdAt = if_not_exists(createdAt, :now), #source = if_not_exists(#source, :source) "
                    "REMOVE expiresAt"
                ),
                ConditionExpression="attribute_not_exists(email) OR userName = :user",
                ExpressionAttributeNames={"#status": "status", "#source": "source"},
                ExpressionAttributeValues={
                    ":user": {"S": user_id},
                    ":confirmed": {"S": ClaimStatus.CONFIRMED.value},
                    ":now": {"S": now},
                    ":source": {"S": "PostConfirmation_ConfirmSignUp"},
                },
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except Exception as exc:
            if aws_error_code(exc) != _CONDITIONAL_FAILED:
                raise DependencyError(f"confirming an email claim failed: {type(exc).__name__}") from exc
            holder = self._holder_after_failed_condition(exc, email)
            if holder is not None and holder.status is ClaimStatus.PENDING:
                return self._confirm_over_pending(email, user_id, now=now, pending=holder)
            if holder is None and _attempts > 1:  # vanished between the two requests: once more from the top
                return self.try_confirm(email, user_id, now=now, _attempts=_attempts - 1)
            return ConfirmResult.CONFLICT
        return ConfirmResult.CONFIRMED

    def _confirm_over_pending(self, email: str, user_id: str, *, now: str, pending: EmailClaim) -> ConfirmResult:
        """A confirmed account outranks another user's unconfirmed sign-up on the same address."""
        try:
            self._client.update_item(
                TableName=self._table,
                Key={"email": {"S": email}},
                UpdateExpression=(
                    "SET userName = :user, #status = :confirmed, confirmedAt = :now, createdAt = :now, "
                    "#source = :source REMOVE expiresAt"
                ),
                ConditionExpression="userName = :holder AND #status = :pending",
                ExpressionAttributeNames={"#status": "status", "#source": "source"},
                ExpressionAttributeValues={
                    ":user": {"S": user_id},
                    ":holder": {"S": pending.user_name},
                    ":confirmed": {"S": ClaimStatus.CONFIRMED.value},
                    ":pending": {"S": ClaimStatus.PENDING.value},
                    ":now": {"S": now},
                    ":source": {"S": "PostConfirmation_ConfirmSignUp"},
                },
            )
        except Exception as exc:
            if aws_error_code(exc) == _CONDITIONAL_FAILED:
                return ConfirmResult.CONFLICT
            raise DependencyError(f"confirming an email claim failed: {type(exc).__name__}") from exc
        return ConfirmResult.CONFIRMED

    def confirm(self, canonical: str, user_id: str) -> None:
        if self.try_confirm(canonical, user_id, now=iso(self._clock())) is ConfirmResult.CONFLICT:
            logger.warning("email claim held by another confirmed account", extra={"email": mask_email(canonical)})
            metrics.add_metric(name="EmailClaimConflict", unit="Count", value=1)

    def _holder_after_failed_condition(self, exc: Exception, email: str) -> EmailClaim | None:
        item = getattr(exc, "response", {}).get("Item")
        if item:
            return claim_from_item(item)
        return self.get(email)
