"""Hypothesis strategies for hostile Cognito events: real sample events, then mutated.

Starting from ``events/*.json`` keeps most examples deep enough to reach the business rules; the mutations are
the ways a changed Cognito contract, a misconfigured pool or a hostile client could bend an event: fields gone,
wrong types, ``None``, huge strings, Unicode that breaks naive code (bidi overrides, zero-width characters,
lone surrogates as JSON's ``\\ud800`` escapes produce them, NUL), and trigger sources nobody handles.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from hypothesis import strategies as st

from tests.events import event_names, load_event

# Strings chosen to break parsers, normalizers, regexes, encoders and templates.
NASTY_STRINGS = [
    "",
    " ",
    "\x00",
    "jane\x00@example.com",
    "\ud800",  # a lone surrogate: what json.loads makes of "\ud800"
    "jane\udfff@example.com",
    "\u202ejane@example.com",  # right-to-left override
    "jane\u200b@example.com",  # zero-width space
    "ja\u200dne@exa\ufeffmple.com",  # zero-width joiner, BOM
    "\u0627\u0644\u0628\u0631\u064a\u062f@\u0645\u062b\u0627\u0644.\u0645\u0635\u0631",  # Arabic, RTL domain
    "jäne@bücher.de",
    "jane@xn--bcher-kva.de",
    "JANE.DOE+tag@EXAMPLE.COM",
    "jane.doe@example.com\n",
    "jane.doe@example.com\r\nBcc: victim@example.com",
    '"quoted local"@example.com',
    "jane@[127.0.0.1]",
    "@example.com",
    "jane@",
    "a@b",
    "<script>alert(1)</script>@example.com",
    "{####}",
    "{username}",
    "{0}{1}{name}%s%n",
    "' OR '1'='1",
    "${jndi:ldap://127.0.0.1/a}",
    "../../etc/passwd",
    "🙂" * 50,
    "e\u0301" * 100,  # combining marks
    "x" * 2049,  # one past Cognito's attribute limit
    "a" * 100_000 + "@example.com",
    "ko-KR",
    "zz",
    "admin",
    "custom:role",
]

nasty_text = (
    st.sampled_from(NASTY_STRINGS)
    | st.text(max_size=64)
    | st.text(alphabet=st.characters(codec=None, categories=("Cf", "Cs", "Co", "Zl", "Zp", "Mn", "Cc")), max_size=16)
)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64)
    | st.floats(allow_nan=False, allow_infinity=False)
    | nasty_text
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(nasty_text, inner, max_size=4),
    max_leaves=12,
)

Path = tuple[str | int, ...]


def paths(value: Any, prefix: Path = ()) -> Iterator[Path]:
    """Every key path inside a JSON value (the root excluded)."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield (*prefix, key)
            yield from paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield (*prefix, index)
            yield from paths(child, (*prefix, index))


def _parent(event: Any, path: Path) -> Any:
    node = event
    for step in path[:-1]:
        node = node[step]
    return node


def _apply(event: dict[str, Any], kind: str, path: Path, value: Any) -> None:
    try:
        parent = _parent(event, path)
        key = path[-1]
        if kind == "delete":
            del parent[key]
        elif kind == "replace":
            parent[key] = value
        elif kind == "add" and isinstance(parent, dict):
            parent[f"{key}_extra" if isinstance(key, str) else "extra"] = value
    except (KeyError, IndexError, TypeError):
        pass  # an earlier mutation removed or retyped the parent: nothing to do


@st.composite
def mutated_events(draw: st.DrawFn, prefix: str, sources: frozenset[str]) -> dict[str, Any]:
    """A sample event of one trigger with up to four random mutations, and sometimes a foreign trigger source."""
    event = copy.deepcopy(load_event(draw(st.sampled_from(event_names(prefix)))))
    candidates = sorted(paths(event), key=repr)
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        path = draw(st.sampled_from(candidates))
        kind = draw(st.sampled_from(["delete", "replace", "replace", "add"]))
        _apply(event, kind, path, draw(json_values))
    source = draw(
        st.sampled_from(
            [
                event.get("triggerSource"),
                *sorted(sources),
                "PreSignUp_Unknown",
                "CustomMessage_Authentication ",
                "tokengeneration_authentication",
                None,
                "",
            ]
        )
    )
    if draw(st.integers(0, 3)) == 0:
        event["triggerSource"] = source
    return event


@st.composite
def attribute_events(draw: st.DrawFn, prefix: str) -> dict[str, Any]:
    """A valid sample event whose user attributes and client metadata carry hostile but well-typed strings:
    deeper than :func:`mutated_events` because the shape checks pass."""
    event = copy.deepcopy(load_event(draw(st.sampled_from(event_names(prefix)))))
    request = event["request"]
    attributes = request.setdefault("userAttributes", {})
    for name in draw(st.lists(st.sampled_from(["email", "name", "locale", "custom:role", "phone_number"]), max_size=3)):
        attributes[name] = draw(nasty_text)
    if draw(st.booleans()):
        request["clientMetadata"] = draw(st.dictionaries(nasty_text, nasty_text, max_size=4))
    if draw(st.booleans()):
        event["userName"] = draw(nasty_text)
    return event


def whole_events() -> st.SearchStrategy[Any]:
    """Not even an object: what a broken integration could send."""
    return json_values
