"""The config file (src/mentorkit/config.py) and `mentorkit config path|show|set|unset`."""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Callable
from datetime import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit import config
from mentorkit.config import Config, ConfigError, MailSettings, load, value_text

Run = Callable[..., Any]


@pytest.fixture
def default_path(isolated_dirs: Path) -> Path:
    return isolated_dirs / "home" / ".config" / "mentorkit" / "config.toml"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---- reading ----------------------------------------------------------------------------------


def test_no_file_means_every_default(default_path: Path) -> None:
    assert config.config_path() == default_path
    assert load() == Config(
        hours_start=time(8), hours_end=time(18), remind_at=time(8), alarm_minutes=15, mail=MailSettings()
    )
    assert load().mail == MailSettings(host=None, port=587, user=None, sender=None, starttls=True)
    assert load().default_stage == "prospect" and load().sync_url is None


def test_every_key_is_read_into_its_typed_field(default_path: Path) -> None:
    write(
        default_path,
        """# mine
[hours]
start = "9:30"
end = 17:45:00          # a TOML local time works too
[remind]
at = "7am"
[calendar]
alarm = "1h30m"
[mail]
host = "smtp.example.org"
port = 465
user = "maya"
from = "Maya Okafor <maya@example.org>"
starttls = false
[mentors]
default_stage = "Pilot"
[sync]
url = "postgresql://hub.example.org/mentorkit"
""",
    )
    got = load()
    assert (got.hours_start, got.hours_end, got.remind_at) == (time(9, 30), time(17, 45), time(7, 0))
    assert got.alarm_minutes == 90
    assert got.mail == MailSettings("smtp.example.org", 465, "maya", "Maya Okafor <maya@example.org>", False)
    assert got.default_stage == "pilot"
    assert got.sync_url == "postgresql://hub.example.org/mentorkit"


def test_mentorkit_config_names_another_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = write(tmp_path / "elsewhere.toml", "[calendar]\nalarm = 5\n")
    monkeypatch.setenv("MENTORKIT_CONFIG", str(other))
    assert config.config_path() == other and load().alarm_minutes == 5
    monkeypatch.setenv("MENTORKIT_CONFIG", " ")
    with pytest.raises(ConfigError, match="MENTORKIT_CONFIG is set but empty"):
        load()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[hours]\nbegin = "08:00"\n', "unknown config key hours.begin in .*the keys of \\[hours\\] are: start, end"),
        ("[colours]\nx = 1\n", "unknown section \\[colours\\]"),
        ("hours = 3\n", "hours in the config file .* must be a section"),
        ('[hours]\nstart = "25:00"\n', "config key hours.start in .* '25:00' is not a time of day"),
        ("[hours]\nstart = 8\n", "config key hours.start in .* is not a time"),
        ('[hours]\nstart = "18:00"\n', "hours.end .* must be later than hours.start"),
        ('[calendar]\nalarm = "soon"\n', "config key calendar.alarm .* 'soon' is not a duration"),
        ("[calendar]\nalarm = -5\n", "calendar.alarm .* from 0 minutes to 7 days"),
        ("[mail]\nport = 70000\n", "config key mail.port .* is not a port"),
        ("[mail]\nport = true\n", "config key mail.port .* is not a port"),
        ('[mail]\nstarttls = "maybe"\n', "config key mail.starttls .* is not true or false"),
        ('[mail]\nfrom = "maya"\n', "config key mail.from .* is not an email address"),
        ('[mail]\nhost = "smtp example"\n', "config key mail.host .* is not a host name"),
        ('[mail]\npassword = "hunter2"\n', "keeps no password in its config file; set MENTORKIT_SMTP_PASSWORD"),
        ('[mentors]\ndefault_stage = "ended"\n', "mentors.default_stage .* must be one of: prospect, pilot"),
        ("[sync]\nurl = 5\n", "config key sync.url .* must be text in quotes"),
        ('[hours]\nstart = "08:00"\nstart = "09:00"\n', "is not valid TOML: .*line 3"),
        ("[hours\n", "is not valid TOML: .*line 1"),
    ],
)
def test_a_bad_file_is_one_line_naming_the_key_or_the_line(default_path: Path, text: str, message: str) -> None:
    write(default_path, text)
    with pytest.raises(ConfigError, match=message) as caught:
        load()
    assert "\n" not in str(caught.value)
    assert "hunter2" not in str(caught.value)


def test_a_file_that_is_not_utf8_or_not_a_file(default_path: Path) -> None:
    default_path.parent.mkdir(parents=True)
    default_path.write_bytes(b'[mail]\nuser = "\xff"\n')
    with pytest.raises(ConfigError, match="not UTF-8 text \\(line 2\\)"):
        load()
    default_path.unlink()
    default_path.mkdir()
    with pytest.raises(ConfigError, match="is a directory"):
        load()


def test_the_cli_refuses_a_bad_file_with_exit_1_and_one_line(default_path: Path, cli: Run) -> None:
    write(default_path, '[hours]\nstart = "26:00"\n')
    for args in (["config", "show"], ["add-mentor", "Dr. Ann Bee"], ["config", "set", "remind.at", "07:00"]):
        result = cli(*args)
        assert result.exit_code == 1, args
        assert result.stderr.count("\n") == 1 and "hours.start" in result.stderr, args
        assert "Traceback" not in result.stderr
    assert default_path.read_text() == '[hours]\nstart = "26:00"\n'


# ---- config path and show ----------------------------------------------------------------------


def test_path_prints_the_file_and_whether_it_is_there(default_path: Path, ok: Run) -> None:
    result = ok("config", "path")
    assert result.stdout == f"{default_path}\n"
    assert "No file there yet" in result.stderr
    assert ok("config", "path", "--json").json() == {"path": str(default_path), "exists": False}


def test_show_lists_every_key_with_value_and_where_it_comes_from(default_path: Path, ok: Run) -> None:
    write(default_path, '[hours]\nstart = "07:30"\n[mail]\nport = 2525\n')
    shown = ok("config", "show", "--json").json()
    assert shown["path"] == str(default_path)
    by_key = {s["key"]: (s["value"], s["default"]) for s in shown["settings"]}
    assert list(by_key) == list(config.KEYS)
    assert by_key["hours.start"] == ("07:30", False)
    assert by_key["hours.end"] == ("18:00", True)
    assert by_key["mail.port"] == (2525, False)
    assert by_key["mail.starttls"] == (True, True)
    assert by_key["mail.host"] == (None, True)
    assert by_key["calendar.alarm"] == ("15m", True)
    table = ok("config", "show").stdout
    lines = {line.split()[0]: line.split()[1:3] for line in table.splitlines()[2:]}
    assert lines["hours.start"] == ["07:30", "file"] and lines["hours.end"] == ["18:00", "default"]
    assert lines["mail.host"] == ["(none)", "default"]


# ---- config set and unset ----------------------------------------------------------------------


def test_set_makes_a_private_file_that_load_reads_back(default_path: Path, ok: Run) -> None:
    ok("config", "set", "hours.start", "9:15")
    ok("config", "set", "calendar.alarm", "90")
    ok("config", "set", "mail.starttls", "off")
    result = ok("config", "set", "mail.from", 'Maya "M" Okafor <maya@example.org>')
    assert "Set mail.from" in result.stderr and str(default_path) in result.stderr
    assert stat.S_IMODE(default_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(default_path.parent.stat().st_mode) == 0o700
    got = load()
    assert got.hours_start == time(9, 15) and got.alarm_minutes == 90 and got.mail.starttls is False
    assert got.mail.sender == 'Maya "M" Okafor <maya@example.org>'
    assert tomllib.loads(default_path.read_text())["calendar"] == {"alarm": "1h30m"}


def test_set_keeps_the_persons_comments_and_other_lines(default_path: Path, ok: Run) -> None:
    write(
        default_path,
        '# my settings\n[hours]\nstart = "08:00"  # early\nend = "17:00"\n\n[mail]\nhost = "smtp.example.org"\n',
    )
    ok("config", "set", "hours.start", "07:00")
    ok("config", "set", "hours.end", "16:00")
    ok("config", "set", "mail.port", "2525")
    ok("config", "set", "remind.at", "06:45")
    assert default_path.read_text() == (
        '# my settings\n[hours]\nstart = "07:00"  # early\nend = "16:00"\n\n[mail]\nhost = "smtp.example.org"\n'
        'port = 2525\n\n[remind]\nat = "06:45"\n'
    )
    ok("config", "unset", "remind.at")
    ok("config", "unset", "hours.end")
    assert default_path.read_text() == (
        '# my settings\n[hours]\nstart = "07:00"  # early\n\n[mail]\nhost = "smtp.example.org"\nport = 2525\n'
    )


def test_a_layout_that_cannot_be_edited_in_place_is_written_anew(default_path: Path, ok: Run) -> None:
    write(default_path, 'mail.host = "smtp.example.org"  # dotted keys\nhours = { start = "07:00" }\n')
    result = ok("config", "set", "mail.port", "2525")
    assert "comments in it were not kept" in result.stderr
    assert tomllib.loads(default_path.read_text()) == {
        "hours": {"start": "07:00"},
        "mail": {"host": "smtp.example.org", "port": 2525},
    }


def test_setting_the_same_value_again_changes_nothing(default_path: Path, ok: Run) -> None:
    ok("config", "set", "remind.at", "07:00")
    before = default_path.stat().st_mtime_ns, default_path.stat().st_ino
    assert "Nothing to change" in ok("config", "set", "remind.at", "7:00").stderr
    assert (default_path.stat().st_mtime_ns, default_path.stat().st_ino) == before
    assert "Nothing to change" in ok("config", "unset", "mail.host").stderr


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("hours.begin", "08:00", "unknown config key 'hours.begin'; the keys are: hours.start"),
        ("hours", "08:00", "unknown config key 'hours'"),
        ("hours.start", "9", "config key hours.start '9' is not a time of day"),
        ("hours.end", "07:00", "hours.end .* must be later than hours.start"),
        ("calendar.alarm", "8 days", "calendar.alarm '8 days' is not a duration"),
        ("calendar.alarm", "200h", "from 0 minutes to 7 days"),
        ("mail.port", "smtp", "mail.port is not a port"),
        ("mail.from", "nobody", "mail.from is not an email address"),
        ("mail.user", "a\x1bb", "mail.user holds a control character"),
        ("mail.password", "hunter2", "keeps no password"),
        ("mentors.default_stage", "ended", "must be one of"),
    ],
)
def test_set_refuses_bad_keys_and_values_and_writes_nothing(
    default_path: Path, cli: Run, key: str, value: str, message: str
) -> None:
    write(default_path, '[hours]\nstart = "08:00"\n')
    result = cli("config", "set", key, value)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    import re

    assert re.search(message, result.stderr), result.stderr
    assert "hunter2" not in result.stderr
    assert default_path.read_text() == '[hours]\nstart = "08:00"\n'
    assert [p.name for p in default_path.parent.iterdir()] == ["config.toml"]


def test_set_never_writes_through_a_symbolic_link(default_path: Path, tmp_path: Path, cli: Run) -> None:
    target = write(tmp_path / "elsewhere" / "precious.txt", "[hours]\n")
    default_path.parent.mkdir(parents=True)
    default_path.symlink_to(target)
    result = cli("config", "set", "hours.start", "07:00")
    assert result.exit_code == 1 and "symbolic link" in result.stderr
    assert target.read_text() == "[hours]\n" and default_path.is_symlink()


def test_set_replaces_the_file_atomically_and_makes_it_private(default_path: Path, ok: Run) -> None:
    write(default_path, '[hours]\nstart = "08:00"\n')
    os.chmod(default_path, 0o644)
    inode = default_path.stat().st_ino
    ok("config", "set", "hours.start", "07:00")
    assert default_path.stat().st_ino != inode  # a new file renamed over the old one
    assert stat.S_IMODE(default_path.stat().st_mode) == 0o600


def test_an_empty_value_unsets_a_text_key(default_path: Path, ok: Run) -> None:
    ok("config", "set", "sync.url", "postgresql://hub.example.org/mk")
    assert load().sync_url == "postgresql://hub.example.org/mk"
    ok("config", "set", "sync.url", "")
    assert load().sync_url is None


@pytest.mark.parametrize("url", ["notaurl", "http://hub.example.org/mk", "hub.example.org", "postgresql:/x"])
def test_a_sync_url_that_is_not_postgresql_is_refused_without_quoting_it(
    default_path: Path, cli: Run, url: str
) -> None:
    result = cli("config", "set", "sync.url", url)
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert "sync.url" in result.stderr and "postgresql://ROLE@HOST/DATABASE" in result.stderr
    assert url not in result.stderr  # it may hold a password
    assert not default_path.exists()
    assert cli("config", "set", "sync.url", "postgres://maya@hub.example.org/mk").exit_code == 0
    assert load().sync_url == "postgres://maya@hub.example.org/mk"


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=40))
def test_any_string_is_written_as_toml_that_reads_back(text: str) -> None:
    assert tomllib.loads(f"x = {value_text(text)}\n") == {"x": text}


# ---- mentors.default_stage ----------------------------------------------------------------------


def test_add_mentor_starts_at_the_configured_stage_unless_told(default_path: Path, ok: Run) -> None:
    ok("config", "set", "mentors.default_stage", "active")
    assert ok("add-mentor", "Dr. Ann Bee", "--json").json()["stage"] == "active"
    assert ok("add-mentor", "Dr. Cy Dee", "--stage", "prospect", "--json").json()["stage"] == "prospect"
    ok("config", "set", "mentors.default_stage", "pilot")
    added = ok("add-mentor", "Dr. Eve Eff", "--pilot-weeks", "4", "--json").json()
    assert added["stage"] == "pilot" and added["pilot_review_on"]


def test_set_keeps_the_end_of_line_comment_of_the_line_it_changes(default_path: Path, ok: Run) -> None:
    default_path.parent.mkdir(parents=True, exist_ok=True)
    default_path.write_text('# my config\n[mail]  # smtp\nhost = "old#x" # host comment\nport = 587\n')
    ok("config", "set", "mail.host", "new.example.org")
    assert default_path.read_text() == (
        '# my config\n[mail]  # smtp\nhost = "new.example.org" # host comment\nport = 587\n'
    )
    default_path.write_text("[mail]\nhost = 'lit'  # literal\n")
    ok("config", "set", "mail.host", "x.example.org")
    assert default_path.read_text() == '[mail]\nhost = "x.example.org"  # literal\n'


def test_set_keeps_crlf_line_ends(default_path: Path, ok: Run) -> None:
    default_path.parent.mkdir(parents=True, exist_ok=True)
    default_path.write_bytes(b'[mail]\r\nhost = "a.example.org"\r\nport = 25\r\n')
    ok("config", "set", "mail.port", "26")
    ok("config", "set", "remind.at", "09:00")
    assert (
        default_path.read_bytes()
        == b'[mail]\r\nhost = "a.example.org"\r\nport = 26\r\n\r\n[remind]\r\nat = "09:00"\r\n'
    )


def test_plan_warns_against_the_working_hours_of_the_config_file(ok: Run) -> None:
    """hours.start and hours.end are what `plan` measures a meeting against (08:00-18:00 when unset)."""
    ok("profile", "set", "--timezone", "America/Chicago")
    ok("add-mentor", "Ada Early", "--timezone", "America/Chicago", "--stage", "active")
    early = ok("plan", "Ada", "--when", "in 3 days 07:30")
    assert "Warning: 07:30 is outside 08:00–18:00 for you." in early.stderr
    ok("config", "set", "hours.start", "07:00")
    ok("config", "set", "hours.end", "15:00")
    fine = ok("plan", "Ada", "--when", "in 4 days 07:30")
    assert "Warning" not in fine.stderr
    late = ok("plan", "Ada", "--when", "in 5 days 16:00")
    assert "Warning: 16:00 is outside 07:00–15:00 for you." in late.stderr
    assert "Warning: 16:00 is outside 07:00–15:00 for Ada Early." in late.stderr
