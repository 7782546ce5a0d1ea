"""The import rules of docs/data.md ("matched by UUID") at their boundaries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture
def export(ok, tmp_path: Path) -> dict:
    ok(
        "add-mentor",
        "Teresa Alvarez",
        "--stage",
        "active",
        "--arena",
        "research",
        "--tag",
        "grants",
        "--note",
        "Met at SAEM",
    )
    ok("log", "teresa", "--when", "yesterday 10:00", "--notes", "Aims page")
    path = tmp_path / "export.json"
    ok("export", "--format", "json", "-o", str(path))
    return json.loads(path.read_text())


def write(tmp_path: Path, data: dict) -> str:
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data))
    return str(path)


def notes_of_teresa(ok) -> str:
    return ok("show", "teresa", "--json").json()["mentor"]["notes"]


def shifted(stamp: str, seconds: int) -> str:
    from datetime import datetime, timedelta

    moment = datetime.fromisoformat(stamp.removesuffix("Z")) + timedelta(seconds=seconds)
    return moment.isoformat() + "Z"


@pytest.mark.parametrize(("seconds", "outcome"), [(0, "kept"), (-1, "kept"), (1, "updated")])
def test_the_file_wins_only_when_its_version_is_newer(ok, export, tmp_path, seconds, outcome) -> None:
    teresa = export["tables"]["mentors"][0]
    teresa["notes"] = "Edited elsewhere"
    teresa["updated_at"] = shifted(teresa["updated_at"], seconds)
    result = ok("import", write(tmp_path, export), "--json").json()
    counts = result["tables"]["mentors"]
    assert counts[outcome] == 1 and counts["updated" if outcome == "kept" else "kept"] == 0
    assert notes_of_teresa(ok) == ("Edited elsewhere" if outcome == "updated" else "Met at SAEM")


def test_a_uuid_twice_in_the_file_is_refused_and_nothing_is_written(ok, cli, export, tmp_path) -> None:
    meeting = dict(export["tables"]["meetings"][0])
    meeting["id"] += 1
    meeting["notes"] = "The same record, again"
    export["tables"]["meetings"].append(meeting)
    fresh = str(tmp_path / "fresh" / "mentorkit.db")
    ok("--db", fresh, "profile", "set", "--name", "Me")  # an existing store, so stderr holds only the error
    result = cli("--db", fresh, "import", write(tmp_path, export))
    assert result.exit_code == 1
    assert "meetings[1]" in result.stderr and "appears twice in the file" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert ok("--db", fresh, "mentors", "--json").json() == []
    assert ok("--db", fresh, "meetings", "--json").json() == []


@pytest.mark.parametrize(("table", "key"), [("mentors", "tags"), ("mentors", "arenas")])
def test_a_link_set_must_be_a_list_not_a_string(ok, cli, export, tmp_path, table, key) -> None:
    given = export["tables"][table][0][key]
    export["tables"][table][0][key] = "research"
    fresh = str(tmp_path / "fresh" / "mentorkit.db")
    result = cli("--db", fresh, "import", write(tmp_path, export))
    assert result.exit_code == 1
    assert f"{key} must be a list of text" in result.stderr
    assert not Path(fresh).exists()  # a refused import into a new path leaves no store behind
    export["tables"][table][0][key] = given
    ok("--db", fresh, "import", write(tmp_path, export))
    assert [m["name"] for m in ok("--db", fresh, "mentors", "--json").json()] == ["Teresa Alvarez"]


def test_records_may_link_to_a_record_only_the_store_holds(ok, export, tmp_path) -> None:
    """A file of meetings alone (its mentor already in the store) imports into that store."""
    meeting = dict(export["tables"]["meetings"][0])
    meeting["uuid"] = "00000000-0000-4000-8000-000000000001"
    meeting["notes"] = "From the other laptop"
    only_meetings = {**export, "tables": {"meetings": [meeting]}}
    ok("import", write(tmp_path, only_meetings))
    assert len(ok("meetings", "--json").json()) == 2


def test_a_link_to_a_record_that_exists_nowhere_names_the_record(ok, cli, export, tmp_path) -> None:
    second = dict(export["tables"]["mentors"][0])
    second.update(id=2, uuid="00000000-0000-4000-8000-000000000002", name="James Whitfield")
    second["arenas"] = ["00000000-0000-4000-8000-00000000dead"]
    export["tables"]["mentors"].append(second)
    result = cli("--db", str(tmp_path / "fresh.db"), "import", write(tmp_path, export))
    assert result.exit_code == 1
    assert "mentors[1] (uuid 00000000-0000-4000-8000-000000000002) lists in arenas a record" in result.stderr


def test_an_update_that_breaks_a_store_rule_is_named_and_nothing_is_written(ok, cli, export, tmp_path) -> None:
    """A newer version of a record that the store refuses (an arena renamed to another's name)
    is named by its place and uuid; no record of the file is written."""
    arenas = export["tables"]["arenas"]
    fine, last = arenas[-2], arenas[-1]  # one batch of updates: the first applies, the second fails
    fine["name"], fine["updated_at"] = "Renamed", shifted(fine["updated_at"], 60)
    last["name"], last["updated_at"] = arenas[0]["name"], shifted(last["updated_at"], 60)
    export["tables"]["mentors"][0]["notes"] = "Edited elsewhere"
    export["tables"]["mentors"][0]["updated_at"] = shifted(export["tables"]["mentors"][0]["updated_at"], 60)
    result = cli("import", write(tmp_path, export))
    assert result.exit_code == 1
    where = f"arenas[{len(arenas) - 1}] (uuid {last['uuid']}) breaks a rule of the store"
    assert where in result.stderr and "nothing was imported" in result.stderr
    assert notes_of_teresa(ok) == "Met at SAEM"


@pytest.mark.parametrize(("length", "accepted"), [(100_000, True), (100_001, False)])
def test_a_note_of_at_most_100000_characters_is_imported(ok, cli, export, tmp_path, length, accepted) -> None:
    """docs/data.md: texts follow the store's limits, at most 100,000 characters in one note."""
    teresa = export["tables"]["mentors"][0]
    teresa["notes"], teresa["updated_at"] = "n" * length, shifted(teresa["updated_at"], 60)
    result = cli("import", write(tmp_path, export))
    assert (result.exit_code == 0) is accepted, result.stderr
    assert len(notes_of_teresa(ok)) == (length if accepted else len("Met at SAEM"))


def test_the_refusal_of_a_too_long_note_names_that_record(ok, cli, export, tmp_path) -> None:
    import uuid

    mentors = export["tables"]["mentors"]
    other = dict(mentors[0], uuid=str(uuid.uuid4()), id=mentors[0]["id"] + 1, name="Ann Other", email=None)
    mentors[0]["notes"], other["notes"] = "n" * 100_000, "n" * 100_001
    mentors[0]["updated_at"] = shifted(mentors[0]["updated_at"], 60)
    mentors.append(other)
    result = cli("import", write(tmp_path, export))
    assert result.exit_code == 1
    assert f"mentors[1] (uuid {other['uuid']})" in result.stderr, result.stderr


@pytest.mark.parametrize("when", ["2026-03-01 14:00", "2026-03-01T14:00:00+01:00", "yesterday"])
def test_an_instant_not_in_utc_form_is_refused_and_nothing_is_written(ok, cli, export, tmp_path, when) -> None:
    """docs/data.md: instants are UTC (`2026-11-19T20:00:00Z`); anything else is named and refused."""
    export["tables"]["meetings"][0]["starts_at"] = when
    fresh = str(tmp_path / "fresh" / "mentorkit.db")
    ok("--db", fresh, "profile", "set", "--name", "Me")
    result = cli("--db", fresh, "import", write(tmp_path, export))
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "meetings[0]" in result.stderr and "starts_at must be a UTC instant" in result.stderr
    assert ok("--db", fresh, "meetings", "--json").json() == []


@pytest.mark.parametrize("day", ["2026-3-1", "2026-03-01T00:00:00Z", "1 March 2026"])
def test_a_date_not_in_yyyy_mm_dd_form_is_refused_and_nothing_is_written(ok, cli, export, tmp_path, day) -> None:
    """docs/data.md: dates are `YYYY-MM-DD`; anything else is named and refused."""
    export["tables"]["mentors"][0]["pilot_review_on"] = day
    fresh = str(tmp_path / "fresh" / "mentorkit.db")
    ok("--db", fresh, "profile", "set", "--name", "Me")
    result = cli("--db", fresh, "import", write(tmp_path, export))
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "mentors[0]" in result.stderr and "pilot_review_on" in result.stderr
    assert ok("--db", fresh, "mentors", "--json").json() == []


def test_a_record_whose_id_is_not_above_the_one_before_gets_the_next_free_id(ok, export, tmp_path) -> None:
    """docs/data.md: moving to an empty store keeps ids; a record whose id is not above the one
    before it (here the same id again) gets the next free id, and both records are imported."""
    import uuid

    mentors = export["tables"]["mentors"]
    twin = dict(mentors[0], uuid=str(uuid.uuid4()), name="James Whitfield", email=None)
    mentors.append(twin)  # the same id as the mentor before it
    fresh = str(tmp_path / "fresh" / "mentorkit.db")
    ok("--db", fresh, "import", write(tmp_path, export))
    ids = {m["name"]: m["id"] for m in ok("--db", fresh, "mentors", "--json").json()}
    assert ids == {"Teresa Alvarez": mentors[0]["id"], "James Whitfield": mentors[0]["id"] + 1}


def test_importing_a_stores_own_export_counts_every_record_unchanged(ok, export, tmp_path) -> None:
    """docs/data.md: importing into the store it came from changes nothing; the summary counts
    each record once, as unchanged."""
    tables = ok("import", write(tmp_path, export), "--json").json()["tables"]
    assert tables["mentors"] == {"added": 0, "updated": 0, "unchanged": 1, "kept": 0, "links": 0}
    assert tables["meetings"] == {"added": 0, "updated": 0, "unchanged": 1, "kept": 0, "links": 0}


@pytest.mark.parametrize("tags", [["gr\x00ants"], [5], [None]])
def test_a_link_set_holds_text_without_nul_bytes(ok, cli, export, tmp_path, tags) -> None:
    """docs/data.md: texts follow the store's limits (no NUL bytes); a tag is text. The refusal
    names the record."""
    import uuid

    mentors = export["tables"]["mentors"]
    mentors.append(dict(mentors[0], uuid=str(uuid.uuid4()), id=mentors[0]["id"] + 1, name="Ann Other", email=None))
    mentors[1]["tags"] = tags
    fresh = str(tmp_path / "fresh" / "mentorkit.db")
    result = cli("--db", fresh, "import", write(tmp_path, export))
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "mentors[1]" in result.stderr and "tags must be a list of text" in result.stderr
    assert not Path(fresh).exists()


def test_an_empty_tag_is_refused_naming_its_record(ok, cli, export, tmp_path) -> None:
    """docs/data.md: a refusal names the record (`mentors[1] (uuid ...)`) and the rule."""
    import uuid

    mentors = export["tables"]["mentors"]
    mentors.append(dict(mentors[0], uuid=str(uuid.uuid4()), id=mentors[0]["id"] + 1, name="Ann Other", email=None))
    mentors[1]["tags"] = ["  "]
    result = cli("--db", str(tmp_path / "fresh.db"), "import", write(tmp_path, export))
    assert result.exit_code == 1
    assert "mentors[1]" in result.stderr and "an empty value in tags" in result.stderr
