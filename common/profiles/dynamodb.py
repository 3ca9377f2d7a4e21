"""The production :class:`ProfileStore`: one DynamoDB item per user, keyed by ``userId`` (the Cognito ``sub``).

Every write is conditional, because Cognito retries triggers and two invocations for one user can run at once:

* ``create`` is a ``PutItem`` guarded by ``attribute_not_exists(userId)``: the first writer wins, a retry or a
  racing twin gets ``False`` and the first item (with its ``createdAt``) is left untouched. DynamoDB evaluates the
  condition and the write atomically, so there is no read-then-write window.
* ``record_password_reset`` and ``update`` are ``UpdateItem`` calls guarded by ``attribute_exists(userId)``, so
  they never create a half-empty item for a user who has no profile.

A failed condition is a named outcome (a return value); any other AWS failure becomes
:class:`common.errors.DependencyError` carrying the AWS error code (never the item, which holds the email).

Item layout (camelCase attribute names, agreed with the other packages)::

    userId S, email S, emailVerified BOOL, name S?, locale S?, role S, createdAt S, updatedAt S,
    passwordResetAt S? (absent until the first reset), plus any ``Profile.extra`` entries as S attributes.

Optional fields that are ``None`` are absent from the item rather than stored as NULL, so a later
``attribute_exists`` check or a sparse index sees what a reader would expect.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from common.errors import DependencyError
from common.profiles.model import EDITABLE_FIELDS, Profile

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

__all__ = ["KNOWN_ATTRIBUTES", "DynamoDbProfileStore", "error_code", "item_from_profile", "profile_from_item"]

# Field of Profile -> DynamoDB attribute name.
_ATTRIBUTE = {
    "user_id": "userId",
    "email": "email",
    "email_verified": "emailVerified",
    "name": "name",
    "locale": "locale",
    "role": "role",
    "created_at": "createdAt",
    "updated_at": "updatedAt",
    "password_reset_at": "passwordResetAt",
}
KNOWN_ATTRIBUTES = frozenset(_ATTRIBUTE.values())
_CONDITION_FAILED = "ConditionalCheckFailedException"


def item_from_profile(profile: Profile) -> dict[str, AttributeValueTypeDef]:
    """The exact DynamoDB item for ``profile`` (``None`` fields omitted)."""
    item: dict[str, AttributeValueTypeDef] = {
        "userId": {"S": profile.user_id},
        "email": {"S": profile.email},
        "emailVerified": {"BOOL": profile.email_verified},
        "role": {"S": profile.role},
        "createdAt": {"S": profile.created_at},
        "updatedAt": {"S": profile.updated_at},
    }
    for field_name in ("name", "locale", "password_reset_at"):
        value = getattr(profile, field_name)
        if value is not None:
            item[_ATTRIBUTE[field_name]] = {"S": value}
    for key, value in profile.extra.items():
        if key in KNOWN_ATTRIBUTES:
            raise ValueError(f"extra attribute {key!r} would overwrite a profile field")
        item[key] = {"S": value}
    return item


def _text(item: Mapping[str, Any], name: str) -> str | None:
    value = item.get(name)
    if isinstance(value, Mapping) and isinstance(value.get("S"), str):
        text: str = value["S"]
        return text
    return None


def profile_from_item(item: Mapping[str, Any]) -> Profile:
    """Read an item back into a :class:`Profile` (string attributes we do not know go to ``extra``)."""
    verified = item.get("emailVerified", {})
    extra = {key: text for key in item if key not in KNOWN_ATTRIBUTES and (text := _text(item, key)) is not None}
    return Profile(
        user_id=_text(item, "userId") or "",
        email=_text(item, "email") or "",
        email_verified=bool(verified.get("BOOL", False)) if isinstance(verified, Mapping) else False,
        name=_text(item, "name"),
        locale=_text(item, "locale"),
        role=_text(item, "role") or "",
        created_at=_text(item, "createdAt") or "",
        updated_at=_text(item, "updatedAt") or "",
        password_reset_at=_text(item, "passwordResetAt"),
        extra=extra,
    )


def error_code(exc: Exception) -> str:
    """The AWS error code of a ``ClientError`` (``ProvisionedThroughputExceededException``...), else the exception's
    class name (``ReadTimeoutError``...): safe to log, never contains request data."""
    if isinstance(exc, ClientError):
        code = exc.response.get("Error", {}).get("Code")
        if code:
            return code
    return type(exc).__name__


class DynamoDbProfileStore:
    """:class:`common.profiles.model.ProfileStore` on DynamoDB.

    The client is injected (tests pass a moto or stubbed client); by default the process-wide client from
    :func:`common.aws.dynamodb_client` is created on first use, with the timeouts that fit a trigger's budget.
    """

    def __init__(self, table_name: str, client: DynamoDBClient | None = None) -> None:
        if not table_name:
            raise ValueError("table_name is required")
        self.table_name = table_name
        self._client = client

    @property
    def client(self) -> DynamoDBClient:
        if self._client is None:
            from common.aws import dynamodb_client  # noqa: PLC0415  (boto3 only when a call is made)

            self._client = dynamodb_client()
        return self._client

    def _fail(self, operation: str, exc: Exception) -> DependencyError:
        return DependencyError(f"DynamoDB {operation} on {self.table_name} failed: {error_code(exc)}")

    def get(self, user_id: str) -> Profile | None:
        try:
            response = self.client.get_item(
                TableName=self.table_name,
                Key={"userId": {"S": user_id}},
                # A profile created a moment ago (post-confirmation, then the first token) must be seen.
                ConsistentRead=True,
            )
        except (ClientError, BotoCoreError) as exc:
            raise self._fail("GetItem", exc) from exc
        item = response.get("Item")
        return profile_from_item(item) if item else None

    def create(self, profile: Profile) -> bool:
        try:
            self.client.put_item(
                TableName=self.table_name,
                Item=item_from_profile(profile),
                ConditionExpression="attribute_not_exists(userId)",
            )
        except (ClientError, BotoCoreError) as exc:
            if error_code(exc) == _CONDITION_FAILED:
                return False
            raise self._fail("PutItem", exc) from exc
        return True

    def record_password_reset(self, user_id: str, at: str) -> bool:
        try:
            self.client.update_item(
                TableName=self.table_name,
                Key={"userId": {"S": user_id}},
                UpdateExpression="SET passwordResetAt = :at, updatedAt = :at",
                ConditionExpression="attribute_exists(userId)",
                ExpressionAttributeValues={":at": {"S": at}},
            )
        except (ClientError, BotoCoreError) as exc:
            if error_code(exc) == _CONDITION_FAILED:
                return False
            raise self._fail("UpdateItem", exc) from exc
        return True

    def update(self, user_id: str, changes: Mapping[str, str | None], at: str) -> Profile | None:
        unknown = set(changes) - EDITABLE_FIELDS
        if unknown:
            raise ValueError(f"fields not editable: {sorted(unknown)}")
        names: dict[str, str] = {"#updatedAt": "updatedAt"}
        values: dict[str, AttributeValueTypeDef] = {":at": {"S": at}}
        sets = ["#updatedAt = :at"]
        removes: list[str] = []
        for field_name in sorted(changes):
            # Placeholders for every name: NAME is a DynamoDB reserved word.
            placeholder = f"#{field_name}"
            names[placeholder] = _ATTRIBUTE[field_name]
            value = changes[field_name]
            if value is None:
                removes.append(placeholder)
            else:
                values[f":{field_name}"] = {"S": value}
                sets.append(f"{placeholder} = :{field_name}")
        expression = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
        try:
            response = self.client.update_item(
                TableName=self.table_name,
                Key={"userId": {"S": user_id}},
                UpdateExpression=expression,
                ConditionExpression="attribute_exists(userId)",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
                ReturnValues="ALL_NEW",
            )
        except (ClientError, BotoCoreError) as exc:
            if error_code(exc) == _CONDITION_FAILED:
                return None
            raise self._fail("UpdateItem", exc) from exc
        return profile_from_item(response.get("Attributes", {}))
