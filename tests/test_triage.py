"""`mentors` among thousands of prospects: the board by default with a count of what is hidden,
filters by stage, text and source, and bulk actions with a preview, a question, and one undo."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def network(ok: Callable[..., Any]) -> Callable[..., Any]:
    ok("add-mentor", "Wei Chen", "--stage", "active", "--title", "Dean of Medicine", "--source", "colleague")
    ok("add-mentor", "Sam Osei", "--stage", "pilot")
    ok("add-mentor", "Lena Fischer", "--stage", "active")
    ok("stage", "Lena", "paused")
    ok("add-mentor", "Helen Park", "--stage", "active")
    ok("end", "Helen", "--reason", "moved away")
    for n, (title, where) in enumerate(
        [("Dean of Research", "UCSF"), ("Associate Dean", "MIT"), ("Postdoc", "Deanery Trust"), ("Chair", "UCSF")]
    ):
        ok("add-mentor", f"Prospect {n}", "--title", title, "--institution", where, "--source", "LinkedIn")
    return ok


def names(result: Any) -> list[str]:
    return [m["name"] for m in result.json()]


def test_the_board_by_default_with_what_is_hidden(network: Callable[..., Any]) -> None:
    shown = network("mentors")
    lines = shown.stdout.splitlines()
    assert [line.split()[1] for line in lines[2:]] == ["Wei", "Sam", "Lena"]  # active, pilot, paused
    assert "4 prospects and 1 ended relationship hidden; `mentorkit mentors --all`" in shown.stderr
    assert len(network("mentors", "--all").stdout.splitlines()) == 2 + 8
    assert len(names(network("mentors", "--json"))) == 8  # a script still gets everyone
    assert names(network("mentors", "--stage", "prospect", "--stage", "ended", "--json"))[-1] == "Helen Park"


def test_filters_by_words_and_source(network: Callable[..., Any]) -> None:
    assert names(network("mentors", "--all", "--match", "dean", "--json")) == [
        "Wei Chen",
        "Prospect 0",
        "Prospect 1",
        "Prospect 2",  # Deanery: words are found inside words too
    ]
    assert names(network("mentors", "--all", "--match", "ucsf dean", "--json")) == ["Prospect 0"]
    assert names(network("mentors", "--source", "linked", "--stage", "prospect", "--json")) == [
        f"Prospect {n}" for n in range(4)
    ]
    narrowed = network("mentors", "--match", "dean")
    assert "3 prospects hidden" in narrowed.stderr  # of those matching
    assert "Dean of Medicine" in network("mentors", "--match", "dean").stdout  # the title column (COLUMNS=160)


def test_a_bulk_action_previews_asks_and_is_one_undo(network: Callable[..., Any], cli: Callable[..., Any]) -> None:
    refused = cli("mentors", "--stage", "prospect", "--match", "dean", "--add-tag", "leadership")
    assert refused.exit_code == 1
    assert refused.stderr.strip() == (
        "Error: Add the tag leadership for the 3 people listed above? Add --yes to confirm (nothing was changed)"
    )
    assert "Prospect 2" in refused.stdout  # the preview
    assert network("mentors", "--tag", "leadership", "--all", "--json").json() == []
    done = network(
        "mentors", "--stage", "prospect", "--match", "dean", "--add-tag", "leadership", "--add-arena", "career", "--yes"
    )
    assert "Done: add the tag leadership, add the arena career — 3 changed." in done.stderr
    tagged = network("mentors", "--tag", "leadership", "--all", "--json").json()
    assert [m["name"] for m in tagged] == ["Prospect 0", "Prospect 1", "Prospect 2"]
    assert all(m["arenas"] == ["career"] for m in tagged)
    network("undo")
    assert network("mentors", "--tag", "leadership", "--all", "--json").json() == []
    assert network("mentors", "--arena", "career", "--all", "--json").json() == []


def test_bulk_stage_changes_and_their_rules(network: Callable[..., Any], cli: Callable[..., Any]) -> None:
    refused = cli("mentors", "--stage", "prospect", "--set-stage", "ended", "--yes")
    assert refused.exit_code == 1 and "needs a reason" in refused.stderr
    result = network(
        "mentors",
        "--stage",
        "prospect",
        "--source",
        "linkedin",
        "--set-stage",
        "ended",
        "--reason",
        "not now",
        "--yes",
        "--json",
    ).json()
    assert len(result["changed"]) == 4 and result["unchanged"] == []
    assert len(names(network("mentors", "--stage", "ended", "--json"))) == 5
    again = network("mentors", "--all", "--match", "dean", "--set-stage", "ended", "--reason", "x", "--yes", "--json")
    assert (len(again.json()["changed"]), len(again.json()["unchanged"])) == (1, 3)  # Wei; the rest were ended
    empty = network("mentors", "--match", "nobody", "--add-tag", "x", "--yes")
    assert "nothing was changed" in empty.stderr
    bad = cli("mentors", "--all", "--add-arena", "no such arena", "--yes")
    assert bad.exit_code == 1 and "\n" not in bad.stderr.strip()
