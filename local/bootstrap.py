"""Provision the local stack in moto from the packaged CloudFormation template (one source of truth).

Order matters: function names are known up front (their ARNs go into the pool's LambdaConfig), tables are
created next (their names go into the functions' environment), then the pool, its clients and groups. Each
CloudFormation property block is passed to the matching API call almost verbatim; only properties that the
create call does not take are dropped or applied with a follow-up call (TTL).
"""

from __future__ import annotations

from typing import Any

from local.moto_bridge import ACCOUNT_ID, Moto
from local.stack import ClientInfo, FunctionSpec, LocalStack
from local.template import Resolver, Template

__all__ = ["TRIGGER_KEYS", "provision"]

TRIGGER_KEYS = ("PreSignUp", "PostConfirmation", "CustomMessage", "PreTokenGeneration")
_TABLE_CREATE_KEYS = (
    "TableName",
    "AttributeDefinitions",
    "KeySchema",
    "BillingMode",
    "ProvisionedThroughput",
    "GlobalSecondaryIndexes",
    "LocalSecondaryIndexes",
    "StreamSpecification",
    "SSESpecification",
    "Tags",
)
_VERSIONS = {"V1_0": "1", "V2_0": "2", "V3_0": "3"}


def _arn(region: str, service: str, resource: str) -> str:
    return f"arn:aws:{service}:{region}:{ACCOUNT_ID}:{resource}"


def provision(moto: Moto, template: Template, region: str, endpoint: str = "") -> tuple[LocalStack, Resolver]:
    """Create the template's Cognito and DynamoDB resources in moto and describe the result."""
    stack = LocalStack(region=region)
    refs: dict[str, str] = {
        "AWS::Region": region,
        "AWS::AccountId": ACCOUNT_ID,
        "AWS::Partition": "aws",
        "AWS::URLSuffix": "amazonaws.com",
        "AWS::StackName": "local",
        "AWS::NoValue": "",
    }
    attributes: dict[tuple[str, str], str] = {}
    resolver = Resolver(refs, attributes)

    for logical, res in template.of_type("AWS::Lambda::Function").items():
        name = str(res.get("Properties", {}).get("FunctionName", logical))
        refs[logical] = name
        attributes[(logical, "Arn")] = _arn(region, "lambda", f"function:{name}")
    for logical in template.of_type("AWS::IAM::Role"):
        refs[logical] = logical
        attributes[(logical, "Arn")] = f"arn:aws:iam::{ACCOUNT_ID}:role/{logical}"
    for logical in template.of_type("AWS::ApiGatewayV2::Api"):
        refs[logical] = "local"
        attributes[(logical, "ApiEndpoint")] = endpoint

    _create_tables(moto, template, resolver, stack)
    _create_pool(moto, template, resolver, stack)
    _create_clients_and_groups(moto, template, resolver, stack)
    _describe_functions(template, resolver, stack)
    return stack, resolver


def _create_tables(moto: Moto, template: Template, resolver: Resolver, stack: LocalStack) -> None:
    refs, attributes = resolver.refs, resolver.attributes
    for logical in template.of_type("AWS::DynamoDB::Table"):
        props = resolver.resolve(template.properties(logical))
        props.setdefault("TableName", f"local-{logical}")
        body = {key: props[key] for key in _TABLE_CREATE_KEYS if key in props}
        moto.dynamodb("CreateTable", body)
        ttl = props.get("TimeToLiveSpecification")
        if ttl and ttl.get("Enabled"):
            moto.dynamodb("UpdateTimeToLive", {"TableName": props["TableName"], "TimeToLiveSpecification": ttl})
        stack.tables[logical] = props["TableName"]
        refs[logical] = props["TableName"]
        attributes[(logical, "Arn")] = _arn(stack.region, "dynamodb", f"table/{props['TableName']}")


def _create_pool(moto: Moto, template: Template, resolver: Resolver, stack: LocalStack) -> None:
    refs, attributes = resolver.refs, resolver.attributes
    pools = template.of_type("AWS::Cognito::UserPool")
    if len(pools) != 1:
        raise ValueError(f"the local stack supports exactly one user pool; the template has {len(pools)}")
    logical = next(iter(pools))
    props: dict[str, Any] = resolver.resolve(template.properties(logical))
    props["PoolName"] = props.pop("UserPoolName", logical)
    props.pop("EnabledMfas", None)
    pool = moto.cognito("CreateUserPool", props)["UserPool"]
    stack.pool_id, stack.pool_arn = pool["Id"], pool["Arn"]
    refs[logical] = stack.pool_id
    attributes[(logical, "Arn")] = stack.pool_arn
    attributes[(logical, "ProviderName")] = f"cognito-idp.{stack.region}.amazonaws.com/{stack.pool_id}"
    attributes[(logical, "ProviderURL")] = f"https://cognito-idp.{stack.region}.amazonaws.com/{stack.pool_id}"
    _map_triggers(props.get("LambdaConfig") or {}, stack, template, resolver)


def _map_triggers(config: dict[str, Any], stack: LocalStack, template: Template, resolver: Resolver) -> None:
    by_arn = {resolver.attributes[(logical, "Arn")]: logical for logical in template.of_type("AWS::Lambda::Function")}

    def function_for(arn: object) -> str | None:
        """The function an ARN invokes; a qualified ARN (``...:function:name:alias``, e.g. the SnapStart alias)
        runs the same code locally."""
        if not isinstance(arn, str):
            return None
        return by_arn.get(arn) or by_arn.get(arn.rpartition(":")[0])

    for key in TRIGGER_KEYS:
        logical = function_for(config.get(key))
        if logical is not None:
            stack.triggers[key] = logical
    v2 = config.get("PreTokenGenerationConfig")
    logical = function_for(v2.get("LambdaArn")) if isinstance(v2, dict) else None
    if isinstance(v2, dict) and logical is not None:
        stack.triggers["PreTokenGeneration"] = logical
        stack.pre_token_version = _VERSIONS.get(str(v2.get("LambdaVersion", "V1_0")), "1")


def _create_clients_and_groups(moto: Moto, template: Template, resolver: Resolver, stack: LocalStack) -> None:
    refs = resolver.refs
    for logical in template.of_type("AWS::Cognito::UserPoolClient"):
        props = resolver.resolve(template.properties(logical))
        props["UserPoolId"] = stack.pool_id
        client = moto.cognito("CreateUserPoolClient", props)["UserPoolClient"]
        stack.clients[logical] = ClientInfo(logical, client["ClientId"], client.get("ClientSecret"))
        refs[logical] = client["ClientId"]
    for logical in template.of_type("AWS::Cognito::UserPoolGroup"):
        props = resolver.resolve(template.properties(logical))
        props["UserPoolId"] = stack.pool_id
        moto.cognito("CreateGroup", props)
        refs[logical] = props["GroupName"]


def _describe_functions(template: Template, resolver: Resolver, stack: LocalStack) -> None:
    for logical in template.of_type("AWS::Lambda::Function"):
        props = resolver.resolve(template.properties(logical))
        variables = (props.get("Environment") or {}).get("Variables") or {}
        stack.functions[logical] = FunctionSpec(
            logical_id=logical,
            name=str(props.get("FunctionName", logical)),
            handler=str(props["Handler"]),
            environment={str(k): str(v) for k, v in variables.items()},
            timeout_seconds=float(props.get("Timeout", 3)),
            memory_mb=int(props.get("MemorySize", 128)),
        )
