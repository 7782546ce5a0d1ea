"""The declared version ranges are true: .ci/floors.txt pins each lower bound of pyproject.toml.

.ci/run installs those exact versions and runs the suite, so a floor that no longer works
fails CI instead of failing a user who happens to have it.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lower_bounds() -> dict[str, str]:
    """Each dependency of mentorkit and of its sync and test extras, with its `>=` bound (the
    test extra names `mentorkit[sync]`, itself, which has no bound)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    bounds = {}
    for requirement in [*project["dependencies"], *extras["sync"], *extras["test"]]:
        if requirement.startswith("mentorkit["):
            continue
        match = re.fullmatch(r"([A-Za-z0-9._-]+)(\[[^\]]*\])?\s*>=\s*([0-9][^,;\s]*)(,.*)?", requirement.strip())
        assert match, f"{requirement!r}: give every dependency a lower bound (name>=version)"
        bounds[canonical(match.group(1))] = match.group(3)
    return bounds


def floors() -> dict[str, str]:
    pins = {}
    for line in (ROOT / ".ci" / "floors.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[canonical(name)] = version.strip()
    return pins


def test_every_lower_bound_is_pinned_in_the_floors_file() -> None:
    from packaging.version import Version  # pytest's own dependency

    assert {name: Version(v) for name, v in lower_bounds().items()} == {
        name: Version(v) for name, v in floors().items()
    }


def test_the_ci_script_installs_the_floors_and_runs_the_suite() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "-c .ci/floors.txt" in script
    after = script[script.index("-c .ci/floors.txt") :]
    assert "pytest" in after
