"""Import recognises a person already on the board the way `mentors --duplicates` does (the
Kenji case: "Dr. Kenji Watanabe" in the store, "Kenji,Watanabe" in LinkedIn, "Watanabe;Kenji" in
a vCard, "Kenji Watanabe" in another store's export), and `--dry-run` says who matched whom."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

LINKEDIN = (
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Kenji,Watanabe,https://www.linkedin.com/in/kenji-w,,University of Tokyo,Professor,15 Mar 2024\n"
    "Ana,Lima,https://www.linkedin.com/in/ana-lima,,USP,Lecturer,02 Jan 2023\n"
)
VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Watanabe;Kenji;;;\r\nFN:Kenji Watanabe\r\nORG:University of Tokyo\r\nEND:VCARD\r\n"
)


def names(ok: Callable[..., Any]) -> list[str]:
    return sorted(m["name"] for m in ok("mentors", "--json").json())


def kenji(ok: Callable[..., Any]) -> None:
    ok("add-mentor", "Dr. Kenji Watanabe", "--email", "kenji@u-tokyo.example.jp", "--arena", "research")


def test_linkedin_row_is_the_kenji_already_on_the_board(ok: Callable[..., Any], tmp_path: Path) -> None:
    """The stored Kenji has an email, the LinkedIn row a profile URL: nothing tells them apart or
    together, so the name makes a suggestion (domain/identity.py, rule 3)."""
    kenji(ok)
    path = tmp_path / "Connections.csv"
    path.write_text(LINKEDIN, encoding="utf-8")
    dry = ok("import", str(path), "--dry-run", "--json").json()
    assert dry["matched"] == []
    [suggestion] = dry["suggested"]
    assert (suggestion["name"], suggestion["mentor_id"], suggestion["mentor"]) == (
        "Kenji Watanabe",
        1,
        "Dr. Kenji Watanabe",
    )
    assert "line 2" in suggestion["row"]
    human = ok("import", str(path), "--dry-run")
    assert "Kenji Watanabe" in human.stderr and "Dr. Kenji Watanabe (#1, prospect)" in human.stderr
    assert names(ok) == ["Dr. Kenji Watanabe"]  # a dry run writes nothing
    ok("import", str(path), "--match-names")
    assert names(ok) == ["Ana Lima", "Dr. Kenji Watanabe"]
    shown = ok("show", "1", "--json").json()["mentor"]
    assert shown["institution"] == "University of Tokyo" and shown["title"] == "Professor"
    assert shown["profile_url"] == "https://www.linkedin.com/in/kenji-w"
    assert ok("mentors", "--duplicates", "--json").json() == []
    again = ok("import", str(path), "--json").json()  # now the profile URL is a key in common
    assert again["changed"] is False and [m["by_key"] for m in again["matched"]] == [True, True]


def test_a_suggestion_not_accepted_is_added_and_reported_as_a_possible_duplicate(
    ok: Callable[..., Any], tmp_path: Path
) -> None:
    kenji(ok)
    path = tmp_path / "Connections.csv"
    path.write_text(LINKEDIN, encoding="utf-8")
    done = ok("import", str(path))  # not a terminal, no --match-names
    assert "1 possible duplicate(s) were added as new people" in done.stderr
    assert "Kenji Watanabe — like Dr. Kenji Watanabe (#1, prospect)" in done.stderr
    assert names(ok) == ["Ana Lima", "Dr. Kenji Watanabe", "Kenji Watanabe"]
    [pair] = ok("mentors", "--duplicates", "--json").json()
    assert (pair["first_id"], pair["second"], pair["reason"]) == (1, "Kenji Watanabe", "same name")


def test_vcard_is_the_kenji_already_on_the_board(ok: Callable[..., Any], tmp_path: Path) -> None:
    kenji(ok)
    path = tmp_path / "kenji.vcf"
    path.write_text(VCARD, encoding="utf-8")
    dry = ok("import", str(path), "--dry-run", "--json").json()
    assert [(m["name"], m["mentor_id"]) for m in dry["suggested"]] == [("Kenji Watanabe", 1)]
    ok("import", str(path), "--match-names")
    assert names(ok) == ["Dr. Kenji Watanabe"]


def test_json_export_of_another_store_merges_kenji_by_name(
    ok: Callable[..., Any], tmp_path: Path, db_path: Path
) -> None:
    other = tmp_path / "laptop.db"
    ok("--db", str(other), "add-mentor", "Kenji Watanabe", "--arena", "career")
    ok("--db", str(other), "log", "kenji", "--notes", "met at the conference", "--followup", "Send the paper")
    export = tmp_path / "laptop.json"
    ok("--db", str(other), "export", "-f", "json", "-o", str(export))

    kenji(ok)
    dry = ok("import", str(export), "--dry-run", "--json").json()
    assert [(m["name"], m["mentor_id"]) for m in dry["matched"]] == [("Kenji Watanabe", 1)]
    ok("import", str(export))
    assert [m["name"] for m in ok("mentors", "--json").json()] == ["Dr. Kenji Watanabe"]
    meetings = ok("meetings", "--past", "--json").json()
    assert [m["mentor_id"] for m in meetings] == [1]  # the laptop's meeting is with our Kenji
    assert ok("mentors", "--duplicates", "--json").json() == []
    ok("import", str(export))  # and importing it again changes nothing
    assert len(ok("meetings", "--past", "--json").json()) == 1


def test_json_import_keeps_two_people_of_one_name_apart_by_email(ok: Callable[..., Any], tmp_path: Path) -> None:
    other = tmp_path / "laptop.db"
    ok("--db", str(other), "add-mentor", "Kenji Watanabe", "--email", "kenji@another.example.org")
    export = tmp_path / "laptop.json"
    ok("--db", str(other), "export", "-f", "json", "-o", str(export))
    kenji(ok)
    ok("import", str(export))
    assert len(ok("mentors", "--json").json()) == 2


def test_json_import_keeps_two_people_of_one_name_apart_by_profile_url(ok: Callable[..., Any], tmp_path: Path) -> None:
    """docs/data.md: another store's export matches by name unless an email or profile URL differs."""
    other = tmp_path / "laptop.db"
    ok("--db", str(other), "add-mentor", "Kenji Watanabe", "--profile-url", "https://orcid.org/0000-0002-1825-0097")
    export = tmp_path / "laptop.json"
    ok("--db", str(other), "export", "-f", "json", "-o", str(export))
    ok("add-mentor", "Dr. Kenji Watanabe", "--profile-url", "https://www.linkedin.com/in/kenji-w")
    ok("import", str(export))
    assert len(ok("mentors", "--json").json()) == 2


def test_an_import_is_one_undoable_step(ok: Callable[..., Any], tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text(LINKEDIN, encoding="utf-8")
    kenji(ok)
    ok("import", str(path))
    ok("undo")
    assert names(ok) == ["Dr. Kenji Watanabe"]
    assert ok("show", "1", "--json").json()["mentor"]["institution"] is None


def test_kenji_from_another_store_only_gains_what_he_lacks(ok: Callable[..., Any], tmp_path: Path) -> None:
    """docs/data.md: someone already in the store gains what they lack; nothing written is
    overwritten, and importing the file again changes nothing."""
    other = tmp_path / "laptop.db"
    ok("--db", str(other), "add-mentor", "Kenji Watanabe", "--institution", "University of Tokyo", "--note", "laptop")
    export = tmp_path / "laptop.json"
    ok("--db", str(other), "export", "-f", "json", "-o", str(export))
    ok("add-mentor", "Dr. Kenji Watanabe", "--note", "desk")
    first = ok("import", str(export), "--json").json()["tables"]["mentors"]
    shown = ok("show", "1", "--json").json()["mentor"]
    assert (shown["institution"], shown["notes"]) == ("University of Tokyo", "desk")
    again = ok("import", str(export), "--json").json()["tables"]["mentors"]
    assert (first["updated"], again["updated"], again["unchanged"]) == (1, 0, 1)


def test_each_person_of_the_store_is_matched_once_per_import(ok: Callable[..., Any], tmp_path: Path) -> None:
    """Two people of one name in the file: the first is the Kenji on the board, the second a new one."""
    other = tmp_path / "laptop.db"
    ok("--db", str(other), "add-mentor", "Kenji Watanabe")
    ok("--db", str(other), "add-mentor", "Kenji Watanabe", "--again")
    export = tmp_path / "laptop.json"
    ok("--db", str(other), "export", "-f", "json", "-o", str(export))
    kenji(ok)
    ok("import", str(export))
    assert names(ok) == ["Dr. Kenji Watanabe", "Kenji Watanabe"]


def test_a_match_names_where_the_person_is_in_the_file(ok: Callable[..., Any], tmp_path: Path) -> None:
    """`--dry-run` says who matched whom, naming the record in the file (docs/data.md)."""
    other = tmp_path / "laptop.db"
    ok("--db", str(other), "add-mentor", "Ada Lovelace")
    ok("--db", str(other), "add-mentor", "Kenji Watanabe")
    export = tmp_path / "laptop.json"
    ok("--db", str(other), "export", "-f", "json", "-o", str(export))
    kenji(ok)
    dry = ok("import", str(export), "--dry-run", "--json").json()
    assert [(m["row"].split(" ")[0], m["name"]) for m in dry["matched"]] == [("mentors[1]", "Kenji Watanabe")]
    assert dry["matched"][0]["mentor"] == "Dr. Kenji Watanabe"  # and whom in the store
