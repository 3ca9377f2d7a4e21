"""Function discovery from a packaged template, and resolution of the environment's intrinsics."""

from __future__ import annotations

from pathlib import Path

from bench.template import FunctionSpec, discover_functions, function_key, resolve_value

RESOURCES = {
    "ProfilesTable": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": "svc-dev-profiles"}},
    "ClaimsTable": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": {"Fn::Sub": "x"}}},
    "CognitoUserPoolMain": {"Type": "AWS::Cognito::UserPool", "Properties": {}},
    "CognitoUserPoolClientApi": {"Type": "AWS::Cognito::UserPoolClient", "Properties": {}},
}


def test_refs_resolve_to_the_templates_own_names_or_fakes() -> None:
    assert resolve_value({"Ref": "ProfilesTable"}, RESOURCES) == "svc-dev-profiles"
    assert resolve_value({"Ref": "ClaimsTable"}, RESOURCES) == "bench-ClaimsTable"
    assert resolve_value({"Ref": "CognitoUserPoolMain"}, RESOURCES) == "us-east-1_Bench0000"
    assert resolve_value({"Ref": "CognitoUserPoolClientApi"}, RESOURCES) == "benchclient0000000000000000"
    assert resolve_value({"Ref": "AWS::Region"}, RESOURCES) == "us-east-1"
    assert resolve_value({"Ref": "Unknown"}, RESOURCES) == "bench-Unknown"


def test_other_intrinsics_and_scalars() -> None:
    assert resolve_value("plain", RESOURCES) == "plain"
    assert resolve_value(True, RESOURCES) == "true"
    assert resolve_value(7, RESOURCES) == "7"
    assert resolve_value({"Fn::GetAtt": ["ProfilesTable", "Arn"]}, RESOURCES) == (
        "arn:aws:bench:us-east-1:000000000000:ProfilesTable/Arn"
    )
    assert resolve_value({"Fn::GetAtt": "ProfilesTable.StreamArn"}, RESOURCES) == (
        "arn:aws:bench:us-east-1:000000000000:ProfilesTable/StreamArn"
    )
    assert resolve_value({"Fn::Join": ["-", ["a", {"Ref": "ProfilesTable"}]]}, RESOURCES) == "a-svc-dev-profiles"
    assert resolve_value({"Fn::Sub": "t-${AWS::Region}"}, RESOURCES) == "t-us-east-1"
    assert resolve_value({"Fn::If": ["c", "a", "b"]}, RESOURCES) == "bench-unresolved"


def test_function_key_comes_from_the_function_name() -> None:
    assert function_key("PreSignUpLambdaFunction", {"FunctionName": "cognito-users-dev-preSignUp"}) == "preSignUp"
    assert function_key("PreSignUpLambdaFunction", {}) == "preSignUp"


def test_discover_functions_reads_handler_memory_snapstart_artifact_and_environment() -> None:
    template = {
        "Resources": {
            **RESOURCES,
            "PreSignUpLambdaFunction": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Handler": "triggers/pre_signup.handler",
                    "Runtime": "python3.13",
                    "FunctionName": "svc-dev-preSignUp",
                    "MemorySize": 512,
                    "SnapStart": {"ApplyOn": "PublishedVersions"},
                    "Code": {"S3Bucket": "b", "S3Key": "serverless/svc/dev/123/svc.zip"},
                    "Environment": {"Variables": {"TABLE": {"Ref": "ProfilesTable"}, "FLAG": "true"}},
                },
            },
            "NodeFunction": {
                "Type": "AWS::Lambda::Function",
                "Properties": {"Handler": "index.handler", "Runtime": "nodejs20.x"},
            },
        }
    }
    assert discover_functions(template) == [
        FunctionSpec(
            key="preSignUp",
            logical_id="PreSignUpLambdaFunction",
            handler="triggers/pre_signup.handler",
            memory_mb=512,
            snap_start=True,
            artifact="svc.zip",
            environment={"TABLE": "svc-dev-profiles", "FLAG": "true"},
        )
    ]


def test_spec_module_attribute_and_file(tmp_path: Path) -> None:
    spec = FunctionSpec("api", "ApiLambdaFunction", "api/app.handler", None, False, None)
    assert (spec.module, spec.attribute) == ("api.app", "handler")
    assert spec.module_file(tmp_path) == tmp_path / "api" / "app.py"
    (tmp_path / "api" / "app").mkdir(parents=True)
    (tmp_path / "api" / "app" / "__init__.py").write_text("")
    assert spec.module_file(tmp_path) == tmp_path / "api" / "app" / "__init__.py"
