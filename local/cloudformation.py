"""Just enough CloudFormation for ``npx serverless invoke local``: ``ListStackResources``.

``invoke local`` resolves a function's ``!Ref`` environment variables by listing the deployed stack's resources.
Pointed at the local endpoint, it gets the local physical ids (table names, pool id, client id) for any stack
name, since the local endpoint serves exactly one stack.
"""

from __future__ import annotations

import uuid
from xml.sax.saxutils import escape

from local.template import Resolver, Template

__all__ = ["list_stack_resources"]

_NAMESPACE = "http://cloudformation.amazonaws.com/doc/2010-05-15/"


def list_stack_resources(template: Template, resolver: Resolver) -> bytes:
    """The ``ListStackResources`` XML response for every template resource the bootstrap provisioned."""
    members = []
    for logical, resource in template.resources.items():
        physical = resolver.refs.get(logical)
        if physical is None:
            continue
        members.append(
            "<member>"
            f"<LogicalResourceId>{escape(logical)}</LogicalResourceId>"
            f"<PhysicalResourceId>{escape(str(physical))}</PhysicalResourceId>"
            f"<ResourceType>{escape(str(resource.get('Type', '')))}</ResourceType>"
            "<LastUpdatedTimestamp>2026-01-01T00:00:00Z</LastUpdatedTimestamp>"
            "<ResourceStatus>CREATE_COMPLETE</ResourceStatus>"
            "</member>"
        )
    return (
        f'<ListStackResourcesResponse xmlns="{_NAMESPACE}"><ListStackResourcesResult>'
        f"<StackResourceSummaries>{''.join(members)}</StackResourceSummaries>"
        "</ListStackResourcesResult>"
        f"<ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata>"
        "</ListStackResourcesResponse>"
    ).encode()
