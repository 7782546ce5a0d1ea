"""Identity rules (domain/identity.py) and imports that never lose or confuse a person: issue 20's
David Kims, the ended Klein, job changes between two LinkedIn exports, --map on LinkedIn, and a
generated export of thousands of rows with a property test over random overlaps of two exports."""

from __future__ import annotations

import io
import random
import sqlite3
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorkit.domain.identity import Keys, People, Person, email_key, url_key
from mentorkit.exchange.changes import ImportResult
from mentorkit.exchange.importer import apply_import, read_import
from mentorkit.store.db import open_store
from mentorkit.store.migrations import apply_pending
from people_helpers import Row, job_change, linkedin_csv, network

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
ZONE = ZoneInfo("Europe/London")
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


# --- the rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://www.linkedin.com/in/David-Kim-12/",
        "http://linkedin.com/in/david-kim-12",
        "linkedin.com/in/david-kim-12?trk=public_profile",
        "https://uk.linkedin.com/in/david-kim-12/#about",
        "  HTTPS://WWW.LINKEDIN.COM/in/david-kim-12  ",
    ],
)
def test_linkedin_urls_are_one_key_however_written(url: str) -> None:
    assert url_key(url) == "linkedin.com/in/david-kim-12"


def test_other_keys() -> None:
    assert url_key("https://linkedin.com/in/jos%C3%A9") == url_key("linkedin.com/in/josé")
    assert url_key("https://orcid.org/0000-0002-1825-009X") == url_key("orcid.org/0000-0002-1825-009x/")
    assert url_key("https://example.edu/people?id=3") != url_key("https://example.edu/people?id=4")
    assert url_key("") is None and url_key(None) is None
    assert email_key(" Ana@Example.ORG ") == "ana@example.org" and email_key("") is None


def test_keys_match_conflict_or_say_nothing() -> None:
    work, url = Keys.of("a@x.org", None), Keys.of(None, "linkedin.com/in/a")
    assert work.match(Keys.of("A@X.org", "linkedin.com/in/b"))  # one key in common is enough
    assert work.conflict(Keys.of("b@x.org", None))  # two emails: two people
    assert url.conflict(Keys.of(None, "linkedin.com/in/b"))
    assert not work.conflict(url) and not work.match(url)  # an email and a URL cannot tell
    assert not Keys().conflict(work) and not Keys()


def test_judge_applies_the_rules_in_order() -> None:
    people = People()
    people.add(Person(1, "Dr. David Kim", "active", "Pfizer", Keys.of(None, "linkedin.com/in/dk1")))
    people.add(Person(2, "Robert Klein", "ended", None, Keys()))
    same = people.judge("Someone Else", Keys.of(None, "https://www.linkedin.com/in/DK1/"))
    assert same.same and same.person is not None and same.person.id == 1  # a key beats the name
    assert people.judge("David Kim", Keys.of(None, "linkedin.com/in/dk2")).person is None  # keys differ
    suggested = people.judge("robert klein", Keys.of("rk@x.org", None))
    assert suggested.suggestion and suggested.person is not None and suggested.person.id == 2
    assert people.judge("Robert Klein", Keys(), taken={2}).person is None  # each person once per file


# --- the cases, through the command line -------------------------------------------------


def _csv(tmp_path: Path, name: str, *rows: str) -> str:
    path = tmp_path / name
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return str(path)


def test_two_people_of_one_name_with_different_profiles_are_both_added(ok: Callable[..., Any], tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "c.csv",
        "David,Kim,https://www.linkedin.com/in/dkim-pfizer,,Pfizer,Scientist,01 Jan 2024",
        "David,Kim,https://www.linkedin.com/in/dkim-snu,,Seoul National University,Dean,02 Jan 2024",
    )
    result = ok("import", path, "--json").json()
    assert result["tables"]["mentors"]["added"] == 2 and result["suggested"] == []
    kims = {m["institution"]: m for m in ok("mentors", "--json").json()}
    assert set(kims) == {"Pfizer", "Seoul National University"}
    assert kims["Seoul National University"]["title"] == "Dean"
    assert ok("mentors", "--duplicates", "--json").json() == []  # two profiles: two people


def test_ended_and_active_people_are_matched_never_added_again(ok: Callable[..., Any], tmp_path: Path) -> None:
    ok("add-mentor", "Dr. Robert Klein", "--stage", "active")
    ok("end", "Klein", "--reason", "Conflict of interest")
    ok("add-mentor", "Dr. Priya Nair", "--email", "priya@ucsf.example.edu", "--stage", "active")
    ok("add-mentor", "Ana Souza", "--peer", "--profile-url", "linkedin.com/in/ana-souza")
    path = _csv(
        tmp_path,
        "c.csv",
        "Robert,Klein,https://www.linkedin.com/in/rklein,,MGH,Chief,03 Jan 2024",
        "Priya,Nair,https://www.linkedin.com/in/pnair,,UCSF,Professor,03 Jan 2024",
        "Ana,Souza,https://www.linkedin.com/in/Ana-Souza/?trk=x,,Fiocruz,Researcher,03 Jan 2024",
    )
    dry = ok("import", path, "--dry-run", "--json").json()
    assert sorted(s["mentor"] for s in dry["suggested"]) == ["Dr. Priya Nair", "Dr. Robert Klein"]
    assert [m["mentor"] for m in dry["matched"]] == ["Ana Souza"]  # the peer, by her profile URL
    done = ok("import", path, "--match-names")
    assert "1 of them are people whose relationship ended" in done.stderr
    people = {m["name"]: m for m in ok("mentors", "--json").json()}
    assert set(people) == {"Dr. Robert Klein", "Dr. Priya Nair", "Ana Souza"}
    assert people["Dr. Robert Klein"]["stage"] == "ended" and people["Dr. Robert Klein"]["institution"] == "MGH"
    assert people["Ana Souza"]["kind"] == "peer" and people["Ana Souza"]["institution"] == "Fiocruz"
    again = ok("import", path, "--json").json()  # the profile URLs are keys now: no question left
    assert again["suggested"] == [] and again["ended"] == 1 and again["changed"] is False


def test_a_reimport_reports_every_job_change(ok: Callable[..., Any], tmp_path: Path) -> None:
    first = _csv(
        tmp_path,
        "a.csv",
        "Lena,Fischer,https://www.linkedin.com/in/lf,,Charité,Postdoc,01 Jan 2024",
        "Omar,Haddad,https://www.linkedin.com/in/oh,,Mayo Clinic,Chair,01 Jan 2024",
        "Ines,Costa,https://www.linkedin.com/in/ic,,MIT,Scientist,01 Jan 2024",
    )
    ok("import", first)
    second = _csv(
        tmp_path,
        "b.csv",
        "Lena,Fischer,https://linkedin.com/in/LF/,lena@charite.example,Charité,Group Leader,01 Jan 2024",
        "Omar,Haddad,https://www.linkedin.com/in/oh,,Novartis,VP Research,01 Jan 2024",
        "Ines,Costa,https://www.linkedin.com/in/ic,,MIT,Scientist,01 Jan 2024",
    )
    human = ok("import", second)
    assert "Nothing to change" not in human.stderr
    assert "Updated 2 people already in the store (fields: email 1, institution 1, title 2)." in human.stderr
    result = ok("import", second, "--dry-run", "--json").json()
    assert result["changed"] is False  # applied: the same file again changes nothing
    lena = ok("show", "Lena", "--json").json()["mentor"]
    assert (lena["title"], lena["email"]) == ("Group Leader", "lena@charite.example")
    assert lena["profile_url"] == "https://www.linkedin.com/in/lf"  # the same key: left as it was
    ok("undo")  # the whole re-import is one step
    assert ok("show", "Omar", "--json").json()["mentor"]["institution"] == "Mayo Clinic"


def test_linkedin_with_map_and_extra_columns(ok: Callable[..., Any], tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        HEADER.rstrip("\n") + ",Tags,Shoe size\n"
        "Wei,Chen,https://www.linkedin.com/in/wc,,UCSF,Dean,01 Jan 2024,leadership,44\n",
        encoding="utf-8",
    )
    result = ok("import", str(path), "--map", "Tags=tags", "--map", "Company=ignore", "--json").json()
    assert result["kind"] == "LinkedIn connections"
    assert any("ignored columns: Company, Shoe size" in n for n in result["notes"])
    [wei] = ok("mentors", "--json").json()
    assert wei["tags"] == ["leadership"] and wei["institution"] is None and wei["source"] == "LinkedIn"


def test_an_email_of_someone_else_is_not_moved_onto_a_person(ok: Callable[..., Any], tmp_path: Path) -> None:
    ok("add-mentor", "Maria Lopez", "--email", "maria@x.example", "--profile-url", "linkedin.com/in/ml")
    ok("add-mentor", "Joan Park", "--profile-url", "linkedin.com/in/jp")
    path = _csv(tmp_path, "c.csv", "Joan,Park,https://www.linkedin.com/in/jp,maria@x.example,,,01 Jan 2024")
    result = ok("import", path, "--json").json()  # its email is Maria's, its profile Joan's
    assert any("is mentor #" in n and "left as it was" in n for n in result["notes"])
    maria, joan = (ok("show", f"#{i}", "--json").json()["mentor"] for i in (1, 2))
    assert (maria["email"], maria["profile_url"]) == ("maria@x.example", "linkedin.com/in/ml")
    assert (joan["email"], joan["profile_url"]) == (None, "linkedin.com/in/jp")


def test_old_import_lines_move_into_the_new_fields(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    apply_pending(conn, upto=11)
    conn.execute(
        "INSERT INTO mentor (uuid, name, stage_changed_at, created_at, updated_at, notes) VALUES "
        "('u1', 'A', 'x', 'x', 'x', ?), ('u2', 'B', 'x', 'x', 'x', 'Title: of a talk I gave')",
        ("Met at SAEM\nTitle: Dean\nLinkedIn: https://www.linkedin.com/in/a\nConnected on LinkedIn: 2024-01-01",),
    )
    apply_pending(conn)
    rows = conn.execute("SELECT title, profile_url, notes FROM mentor ORDER BY id").fetchall()
    assert rows[0] == ("Dean", "https://www.linkedin.com/in/a", "Met at SAEM\nConnected on LinkedIn: 2024-01-01")
    assert rows[1] == ("of a talk I gave", None, None)
    assert conn.execute("SELECT count(*) FROM change WHERE op = 'update'").fetchone()[0] == 0


# --- thousands of rows ----------------------------------------------------------------------------


def _import(path: Path, text: str, *, match_names: bool = False) -> ImportResult:
    parsed = read_import(io.BytesIO(text.encode("utf-8")), source="export.csv", today=NOW.date())
    with open_store(path) as store, store.write("import") as conn:
        return apply_import(
            conn, parsed, now=NOW, zone=ZONE, source="export.csv", accept=(lambda i: True) if match_names else None
        )


def _people(path: Path) -> dict[str | None, tuple[Any, ...]]:
    with open_store(path) as store, store.read() as conn:
        rows = conn.execute("SELECT profile_url, name, institution, title, email, stage, kind FROM mentor").fetchall()
    return {url_key(r[0]): tuple(r) for r in rows}


def test_two_generated_exports_of_thousands_lose_and_duplicate_no_one(tmp_path: Path) -> None:
    from mentorkit.domain.mentors import MentorFields, add_mentor, resolve_mentor, set_stage

    rng = random.Random(20)
    first = network(rng, 3000)
    store = tmp_path / "m.db"
    with open_store(store) as s, s.write() as conn:  # people already there: ended, active, a peer
        klein = add_mentor(conn, NOW, ZONE, MentorFields(name="Dr. Robert Klein", stage="active"))
        set_stage(conn, NOW, ZONE, klein, "ended", reason="Conflict of interest")
        add_mentor(conn, NOW, ZONE, MentorFields(name="Dr. Priya Nair", email="priya@x.example", stage="active"))
        add_mentor(conn, NOW, ZONE, MentorFields(name="Ana Souza", kind="peer", profile_url=first[5].url))
    extra = [Row(10_001, "Robert", "Klein", "", "MGH", "Chief"), Row(10_002, "Priya", "Nair", "", "UCSF", "Dean")]
    result = _import(store, linkedin_csv(first + extra), match_names=True)
    assert result.tables["mentors"].added == 3000 - 1 and result.ended == 1
    people = _people(store)
    assert len(people) == 3 + 3000 - 1  # Klein, Nair and Souza (first[5]) matched, not added
    assert people[url_key(extra[0].url)][1:] == ("Dr. Robert Klein", "MGH", "Chief", None, "ended", "mentor")
    assert people[url_key(first[5].url)][6] == "peer"

    moved = {r.key for r in rng.sample(first, 400)}
    second = [job_change(rng, r) if r.key in moved else r for r in first[500:]] + network(rng, 700, start=5000)
    spelled = {r.key: r.url.upper().replace("WWW.", "") + "/?trk=x" for r in rng.sample(second, 300)}
    result = _import(store, linkedin_csv(second + extra, spelled))
    changed = moved & {r.key for r in first[500:]}
    assert result.tables["mentors"].added == 700 and result.tables["mentors"].updated == len(changed)
    assert dict(result.fields) == {"institution": len(changed), "title": len(changed)}
    assert result.suggested == [] and result.ended == 1
    people = _people(store)
    assert len(people) == 3 + 3000 - 1 + 700  # the first export's 500 left out are still there
    for row in second:
        assert people[url_key(row.url)][2:4] == (row.company, row.position)
    with open_store(store) as s, s.read() as conn:
        assert resolve_mentor(conn, "Klein").stage == "ended"


def _store() -> tuple[tempfile.TemporaryDirectory[str], Path]:
    folder = tempfile.TemporaryDirectory()
    return folder, Path(folder.name) / "m.db"


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    population=st.integers(min_value=1, max_value=40),
    seed=st.integers(min_value=0, max_value=10_000),
    in_first=st.floats(min_value=0, max_value=1),
    in_second=st.floats(min_value=0, max_value=1),
    moves=st.floats(min_value=0, max_value=1),
)
def test_any_overlap_of_two_exports(
    population: int, seed: int, in_first: float, in_second: float, moves: float
) -> None:
    """Whatever two exports share, after importing both every person is there once, with the
    newest company and title, and the second import reports exactly the people who changed."""
    rng = random.Random(seed)
    everyone = network(rng, population)
    first = [r for r in everyone if rng.random() < in_first]
    second = [job_change(rng, r) if rng.random() < moves else r for r in everyone if rng.random() < in_second]
    folder, store = _store()
    with folder:
        if first:
            _import(store, linkedin_csv(first))
        result = _import(store, linkedin_csv(second)) if second else None
        people = _people(store) if first or second else {}
    latest = {r.key: r for r in first} | {r.key: r for r in second}
    assert len(people) == len(latest)
    for row in latest.values():
        assert people[url_key(row.url)][1:5] == (row.name, row.company, row.position, row.email or None)
    if result is not None:
        before = {r.key: r for r in first}
        changed = [r for r in second if r.key in before and before[r.key] != r]
        assert result.tables["mentors"].updated == len(changed)
        assert result.tables["mentors"].added == len([r for r in second if r.key not in before])
        assert result.suggested == []


def test_title_and_profile_url_travel_through_csv_and_json(ok: Callable[..., Any], tmp_path: Path) -> None:
    ok("add-mentor", "Wei Chen", "--title", "Dean of Medicine", "--profile-url", "https://orcid.org/0000-0001")
    for fmt in ("csv", "json"):
        path = tmp_path / f"out.{fmt}"
        ok("export", "-f", fmt, "-o", str(path))
        other = tmp_path / f"other-{fmt}.db"
        ok("--db", str(other), "import", str(path))
        [wei] = ok("--db", str(other), "mentors", "--json").json()
        assert (wei["title"], wei["profile_url"]) == ("Dean of Medicine", "https://orcid.org/0000-0001")
    ok("edit", "Wei", "--profile-url", "")  # an empty value clears it
    assert ok("show", "Wei", "--json").json()["mentor"]["profile_url"] is None


def test_duplicates_by_profile_url_and_not_by_name_when_keys_differ(ok: Callable[..., Any]) -> None:
    ok("add-mentor", "David Kim", "--profile-url", "linkedin.com/in/dk1")
    ok("add-mentor", "David Kim", "--profile-url", "linkedin.com/in/dk2", "--again")
    ok("add-mentor", "D. Kim-Lee", "--profile-url", "https://www.linkedin.com/in/DK1/")
    pairs = [(p["first_id"], p["second_id"], p["reason"]) for p in ok("mentors", "--duplicates", "--json").json()]
    assert pairs == [(1, 3, "same profile URL")]


def test_at_a_terminal_import_asks_about_each_suggestion(
    ok: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("mentorkit.cli.drafting.at_terminal", lambda: True)
    ok("add-mentor", "Dr. Robert Klein", "--email", "rk@mgh.example")
    ok("add-mentor", "Dr. Priya Nair")
    path = _csv(
        tmp_path,
        "c.csv",
        "Robert,Klein,https://www.linkedin.com/in/rklein,,MGH,Chief,03 Jan 2024",
        "Priya,Nair,https://www.linkedin.com/in/pnair,,UCSF,Professor,03 Jan 2024",
    )
    done = ok("import", path, input="y\nn\n")
    assert "Robert Klein — like Dr. Robert Klein (#1, prospect). The same person?" in done.stderr
    assert "c.csv line 3: Priya Nair — like Dr. Priya Nair (#2, prospect)" in done.stderr  # reported
    people = sorted(m["name"] for m in ok("mentors", "--json").json())
    assert people == ["Dr. Priya Nair", "Dr. Robert Klein", "Priya Nair"]  # yes to Klein, no to Nair
    assert ok("show", "Klein", "--json").json()["mentor"]["profile_url"] == "https://www.linkedin.com/in/rklein"


def test_add_mentor_takes_a_second_person_of_a_name_whose_profile_differs(
    ok: Callable[..., Any], cli: Callable[..., Any]
) -> None:
    ok("add-mentor", "David Kim", "--profile-url", "linkedin.com/in/dk1")
    ok("add-mentor", "Dr. David Kim", "--profile-url", "linkedin.com/in/dk2")  # keys differ: no --again
    refused = cli("add-mentor", "David Kim")  # nothing tells this one apart
    assert refused.exit_code == 1 and "already has that name" in refused.stderr
    assert cli("add-mentor", "David Kim", "--profile-url", "https://linkedin.com/in/DK1").exit_code == 1


@pytest.mark.parametrize("url", ["[", "http://[::1", "example.org/[x"])
def test_a_profile_url_urllib_cannot_read_is_kept_as_given(ok, url) -> None:
    """The fuzz test's find: `add-mentor --profile-url '['` ended in an internal error (urllib's
    "Invalid IPv6 URL"). Such a text is its own key, compared as written."""
    assert ok("add-mentor", "Ana Ruiz", "--profile-url", url).stdout.strip() == "1"
    assert "Ana Ruiz" in ok("show", "ana").stdout
