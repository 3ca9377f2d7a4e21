from __future__ import annotations

from common.aws import build_during_snapshot


def test_snap_start_init_builds_everything_now() -> None:
    built: list[str] = []
    did = build_during_snapshot(
        lambda: built.append("client"),
        lambda: built.append("library"),
        values={"AWS_LAMBDA_INITIALIZATION_TYPE": "snap-start"},
    )
    assert did is True
    assert built == ["client", "library"]


def test_on_demand_start_stays_lazy() -> None:
    built: list[str] = []
    for values in ({"AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand"}, {}):
        assert build_during_snapshot(lambda: built.append("client"), values=values) is False
    assert built == []
