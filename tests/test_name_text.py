"""Names (of mentors, groups, arenas, the profile) are one line of visible text: control
characters and line breaks are refused where they are typed, with one line and nothing written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from mentorkit.cli.text import outgoing

Run = Callable[..., Any]

BAD = ["Multi\nLine", "Esc\x1b[31mRed\x1b[0m Person", "Tab\there", "CSI\x9bx", "Line\u2028sep", "Bell\x07"]
REFUSED = "holds a control character or a line break; give it on one line of plain text"


@pytest.fixture
def two(ok: Run) -> Run:
    ok("add-mentor", "Ada Byron", "--stage", "active")
    ok("add-mentor", "Ben Carter", "--stage", "active")
    return ok


@pytest.mark.parametrize("name", BAD)
def test_every_kind_of_name_refuses_control_characters(two: Run, cli: Run, name: str) -> None:
    before = two("mentors", "--json").stdout
    for args in (
        ["add-mentor", name],
        ["edit", "1", "--name", name],
        ["group", "add", name, "--member", "1", "--member", "2"],
        ["arena", "add", name],
        ["profile", "set", "--name", name],
    ):
        result = cli(*args)
        assert result.exit_code == 1, args
        assert result.stderr.startswith("Error: ") and REFUSED in result.stderr and result.stderr.count("\n") == 1
    assert two("mentors", "--json").stdout == before
    two("group", "add", "Circle", "--member", "1", "--member", "2")
    two("arena", "add", "Writing")
    for args in (["group", "rename", "Circle", name], ["arena", "rename", "Writing", name]):
        result = cli(*args)
        assert result.exit_code == 1 and REFUSED in result.stderr, args


def test_a_plain_name_with_any_script_is_kept(ok: Run) -> None:
    ok("add-mentor", "Zoë Ŝmith-O'Neil 山田 👩‍🔬")
    assert ok("mentors", "--json").json()[0]["name"] == "Zoë Ŝmith-O'Neil 山田 👩‍🔬"


def test_outgoing_keeps_lines_and_tabs_and_escapes_the_rest() -> None:
    assert outgoing("a\tb\r\nc\rd\n") == "a\tb\nc\nd\n"
    assert outgoing("x\x1b[31my\x07\x7f\x85\u202e\u2028") == "x\\x1b[31my\\x07\\x7f\\x85\\u202e\\u2028"
    assert outgoing("Zoë 山田 👩‍🔬 — ok") == "Zoë 山田 👩‍🔬 — ok"


# ---- one rule for email addresses -----------------------------------------------------------------

NOT_ADDRESSES = [
    "me@example.org;rm",
    "a&b<x>@example.org",
    "me@example.org;touch${IFS}/tmp/PWNED",
    "ben,evil@example.org",
    '"a,b;c"@example.org',
    "a b@example.org",
    "Maya <maya@example.org>",
    "esc\x1b@example.org",
    "a@b@c.org",
    "notanaddress",
]


@pytest.mark.parametrize("address", NOT_ADDRESSES)
def test_every_place_that_takes_an_address_refuses_the_same_ones(ok: Run, cli: Run, address: str) -> None:
    ok("add-mentor", "Ada Byron")
    for args in (
        ["remind", "--email", address],
        ["remind", "install", "--cron", "--email", address],
        ["add-mentor", "Ben Carter", "--email", address],
        ["edit", "1", "--email", address],
        ["profile", "set", "--email", address],
    ):
        result = cli(*args)
        assert result.exit_code == 1, args
        assert "is not an email address" in result.stderr and result.stderr.count("\n") == 1, args
    assert ok("mentors", "--json").json()[0]["email"] is None
    result = cli("config", "set", "mail.from", f"Maya <{address}>")
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert (
        "mail.from is not an email address" in result.stderr or "mail.from holds a control character" in result.stderr
    )


@pytest.mark.parametrize("address", ["maya@example.org", "o'neil+tag@mail.example.ie", "δοκιμή@παράδειγμα.δοκιμή"])
def test_ordinary_addresses_are_taken(ok: Run, address: str) -> None:
    ok("add-mentor", "Ada Byron", "--email", address)
    assert ok("mentors", "--json").json()[0]["email"] == address
    ok("config", "set", "mail.from", f"Maya <{address}>")
