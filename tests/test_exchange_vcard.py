"""vCard import: Google and Apple 3.0, khard/Nextcloud 4.0, several contacts per file."""

from __future__ import annotations

from pathlib import Path

from exchange_helpers import counts

FIXTURES = Path(__file__).parent / "fixtures"


def _people(ok) -> dict[str, dict]:
    return {m["name"]: m for m in ok("mentors", "--json").json()}


def test_google_vcard_3(ok) -> None:
    result = ok("import", str(FIXTURES / "contacts_google_v3.vcf"), "--json").json()
    assert result["format"] == "vcard" and result["tables"]["mentors"]["added"] == 2
    assert any("without a name" in n for n in result["notes"])
    people = _people(ok)
    teresa = people["Teresa Alvarez"]
    assert teresa["stage"] == "prospect" and teresa["source"] == "vCard"
    assert teresa["email"] == "t.alvarez@example.edu"
    assert teresa["institution"] == "UCSF, Department of Emergency Medicine"
    assert teresa["tags"] == ["K23", "Research"]  # Google's system group myContacts is left out
    assert "Interested in K23 mentoring, especially aims pages.\nPrefers email first." in teresa["notes"]
    assert teresa["title"] == "Associate Professor" and "Title" not in teresa["notes"]
    james = people["James Whitfield"]
    assert james["email"] == "j.whitfield@bayview.example.edu"  # TYPE=pref wins over the first
    assert james["location"] == "San Francisco, CA, USA"
    assert james["profile_url"] == "https://bayview.example.edu/people/whitfield"


def test_apple_vcard_3_with_grouped_properties_and_offsets(ok) -> None:
    ok("import", str(FIXTURES / "contacts_apple_v3.vcf"))
    people = _people(ok)
    samuel = people["Dr. Samuel Osei"]
    assert samuel["email"] == "s.osei@example.org" and samuel["timezone"] == "UTC"
    assert samuel["institution"] == "Korle Bu Teaching Hospital" and samuel["location"] == "Accra, Ghana"
    assert samuel["notes"].startswith("Teaching, global EM")
    assert people["Lena Fischer"]["timezone"] == "Etc/GMT-1"  # UTC+01:00, POSIX sign


def test_vcard_4(ok) -> None:
    result = ok("import", str(FIXTURES / "contacts_khard_v4.vcf"), "--json").json()
    assert result["tables"]["mentors"]["added"] == 3
    assert any("+05:30" in n and "no IANA name" in n for n in result["notes"])
    people = _people(ok)
    priya = people["Priya Raman"]
    assert priya["email"] == "priya.raman@example.com"  # PREF=1 over the first EMAIL
    assert priya["timezone"] == "America/Los_Angeles"
    assert priya["tags"] == ["personal", "wellbeing"]
    assert priya["institution"] == "Stanford Medicine, Department of Psychiatry"
    assert people["Ben Carter"]["timezone"] == "Etc/GMT+5"  # utc-offset -0500
    assert people["Anika Sharma"]["timezone"] is None


def test_reimport_changes_nothing_and_later_files_fill_gaps(ok) -> None:
    ok("import", str(FIXTURES / "linkedin_Connections.csv"))
    before = _people(ok)["Teresa Alvarez"]
    assert before["email"] is None
    result = ok("import", str(FIXTURES / "contacts_google_v3.vcf"), "--match-names", "--json").json()
    assert result["tables"]["mentors"]["updated"] == 1  # Teresa from LinkedIn gains email and tags
    after = _people(ok)["Teresa Alvarez"]
    assert after["email"] == "t.alvarez@example.edu" and after["tags"] == ["K23", "Research"]
    assert after["notes"] == before["notes"] and after["source"] == "LinkedIn"
    again = ok("import", str(FIXTURES / "contacts_google_v3.vcf"), "--json").json()
    assert again["changed"] is False


def test_truncated_vcard_fails_naming_the_card_and_writes_nothing(cli, ok, db_path: Path, tmp_path: Path) -> None:
    ok("add-mentor", "Already Here")
    before = counts(db_path)
    text = (FIXTURES / "contacts_google_v3.vcf").read_text(encoding="utf-8")
    cut = tmp_path / "cut.vcf"
    cut.write_text(text[: text.index("CATEGORIES:myContacts,teaching")], encoding="utf-8")
    result = cli("import", str(cut))
    assert result.exit_code == 1 and "begins at line 13" in result.stderr and "no END:VCARD" in result.stderr
    assert counts(db_path) == before


def test_a_card_with_a_bad_email_fails_and_writes_nothing(cli, ok, db_path: Path, tmp_path: Path) -> None:
    ok("add-mentor", "Already Here")
    before = counts(db_path)
    text = (
        (FIXTURES / "contacts_khard_v4.vcf")
        .read_text(encoding="utf-8")
        .replace("ben.carter@example.org", "ben carter at example")
    )
    path = tmp_path / "bad.vcf"
    path.write_text(text, encoding="utf-8")
    result = cli("import", str(path))
    assert result.exit_code == 1 and "card 2 (line 16)" in result.stderr and "email" in result.stderr
    assert counts(db_path) == before


def test_text_outside_cards_is_refused(cli, tmp_path: Path) -> None:
    path = tmp_path / "odd.vcf"
    path.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nEND:VCARD\r\nhello\r\n", encoding="utf-8")
    result = cli("import", str(path), "--format", "vcard")
    assert result.exit_code == 1 and "line 5" in result.stderr
