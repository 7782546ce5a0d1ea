"""Drafts that leave the terminal: `summary`/`pitch` with --mail (a mailto: link, RFC 6068) and
--copy (the clipboard), through a fake `xdg-open` and fake `wl-copy` on PATH. Neither marks
anything sent; --mark-sent does."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit.delivery.handoff import MAX_URL, crlf, mailto_url, message_parts
from test_drafting import NOW, _build_board

Run = Callable[..., Any]

FAKE_OPEN = """#!/bin/sh
printf '%s\\n' "$1" >> "$HOME/opened.txt"
[ -n "$FAKE_OPEN_FAIL" ] && { echo "xdg-open: no method available for opening '$1'" >&2; exit 3; }
exit 0
"""
FAKE_WL_COPY = """#!/bin/sh
/bin/cat > "$HOME/clipboard.txt"
"""


@pytest.fixture
def board(ok: Run) -> Iterator[dict[str, int]]:
    with time_machine.travel(NOW, tick=False):
        yield _build_board(ok)


@pytest.fixture
def desktop(isolated_dirs: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A desktop of fakes: xdg-open writes the link it got to ~/opened.txt, wl-copy the text to
    ~/clipboard.txt. Returns HOME."""
    bin_dir = isolated_dirs / "bin"
    bin_dir.mkdir()
    for name, script in (("xdg-open", FAKE_OPEN), ("wl-copy", FAKE_WL_COPY), ("wl-paste", "#!/bin/sh\n")):
        (bin_dir / name).write_text(script)
        (bin_dir / name).chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin")
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    monkeypatch.delenv("DISPLAY", raising=False)
    return isolated_dirs / "home"


def opened(home: Path) -> list[str]:
    path = home / "opened.txt"
    return path.read_text().splitlines() if path.exists() else []


def sent_at(ok: Run, meeting: str) -> str | None:
    """When the summary of `meeting` was marked sent (None: not marked)."""
    (found,) = [m for m in ok("meetings", "--past", "--json").json() if str(m["id"]) == meeting]
    return found["summary_sent_at"]  # type: ignore[no-any-return]


def fields(url: str) -> tuple[list[str], dict[str, str]]:
    """The addresses and the decoded header fields of a mailto: URL."""
    parts = urlsplit(url)
    assert parts.scheme == "mailto"
    to = [unquote(a) for a in parts.path.split(",") if a]
    values = {}
    for field in parts.query.split("&") if parts.query else []:
        name, _, value = field.partition("=")
        values[name] = unquote(value)
    return to, values


# ---- the link ----------------------------------------------------------------------------------


def test_mailto_encodes_as_rfc_6068_says() -> None:
    url = mailto_url(["talvarez@example.org", "sam@example.org"], "Aims & budget?", "Dear Teresa,\nA+B = 100% #1\n")
    assert url == (
        "mailto:talvarez@example.org,sam@example.org"
        "?subject=Aims%20%26%20budget%3F"
        "&body=Dear%20Teresa%2C%0D%0AA%2BB%20%3D%20100%25%20%231%0D%0A"
    )
    assert mailto_url([], "Café", None) == "mailto:?subject=Caf%C3%A9"
    assert mailto_url(['"odd,name"@example.org'], "", None) == "mailto:%22odd%2Cname%22@example.org"


BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
VISIBLE = st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp"), exclude_characters=BIDI)
LINES = st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp"), exclude_characters=BIDI, include_characters="\n\r\t")


@settings(max_examples=80, deadline=None)
@given(st.text(VISIBLE, max_size=60), st.text(LINES, max_size=200))
def test_any_subject_and_body_come_back_whole(subject: str, body: str) -> None:
    url = mailto_url(["a@example.org"], subject, body)
    assert all(c not in url for c in " \n\r+#") and url.isascii()
    to, values = fields(url)
    assert to == ["a@example.org"]
    assert values.get("subject", "") == subject and values["body"] == crlf(body)


def test_control_characters_leave_only_as_escapes() -> None:
    body = "Dear Esc\x1b[31mRed\x1b[0m,\r\nclick \x1b]8;;http://evil\x07here\x9b2J\tend\u202e"
    url = mailto_url(["a@example.org"], "Re: \x1b[2J\nBcc: x", body)
    _, values = fields(url)
    assert values["subject"] == "Re: \\x1b[2J\\nBcc: x"
    assert values["body"] == ("Dear Esc\\x1b[31mRed\\x1b[0m,\r\nclick \\x1b]8;;http://evil\\x07here\\x9b2J\tend\\u202e")


def test_message_parts_takes_to_and_subject_lines_off_the_body() -> None:
    assert message_parts("To: a@x.org, b@y.org\nSubject: Hi\n\nDear A,\n") == (
        ["a@x.org", "b@y.org"],
        "Hi",
        "Dear A,\n",
    )
    assert message_parts("Subject: Notes\n\nDear A,") == (None, "Notes", "Dear A,")
    assert message_parts("Dear A,\nTo: not a header here") == (None, None, "Dear A,\nTo: not a header here")


# ---- summary --mail / --copy --------------------------------------------------------------------


def test_summary_mail_opens_a_message_to_the_mentor_and_marks_nothing(
    board: dict[str, int], desktop: Path, ok: Run
) -> None:
    meeting = str(board["held"])
    draft = ok("summary", meeting).stdout
    subject, _, body = draft.partition("\n\n")
    result = ok("summary", meeting, "--mail")
    assert result.stdout == ""
    assert f"Opened the summary of meeting #{meeting} in your mail program." in result.stderr
    assert f"Once you have sent it: mentorkit summary {meeting} --mark-sent" in result.stderr
    (url,) = opened(desktop)
    to, values = fields(url)
    assert to == ["talvarez@example.org"]
    assert (
        values["subject"]
        == subject.removeprefix("Subject: ")
        == ("Notes and next steps from our video call on Tue 24 Nov 2026")
    )
    assert values["body"].rstrip("\r\n") == crlf(body).rstrip("\r\n")
    assert sent_at(ok, meeting) is None


def test_summary_mail_with_mark_sent_marks_it(board: dict[str, int], desktop: Path, ok: Run) -> None:
    meeting = str(board["held"])
    result = ok("summary", meeting, "--mail", "--mark-sent")
    assert f"Marked the summary of meeting #{meeting} as sent." in result.stderr and len(opened(desktop)) == 1
    assert sent_at(ok, meeting) is not None


def test_no_mail_handler_is_one_line_and_marks_nothing(
    board: dict[str, int], desktop: Path, cli: Run, ok: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = str(board["held"])
    monkeypatch.setenv("FAKE_OPEN_FAIL", "1")
    result = cli("summary", meeting, "--mail", "--mark-sent")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("Error: no mail program took the mailto: link (xdg-open: ")
    assert result.stderr.count("\n") == 1
    assert sent_at(ok, meeting) is None
    monkeypatch.setenv("PATH", str(desktop))  # no xdg-open at all
    result = cli("summary", meeting, "--mail")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no program to open mailto: links was found (xdg-open is not installed); use --copy, or "
        "--format email to print the message\n"
    )


def test_a_body_too_long_for_a_link_goes_to_the_clipboard(board: dict[str, int], desktop: Path, ok: Run) -> None:
    long_notes = "We went through the budget line by line. " * 80
    meeting = ok("log", "alvarez", "--when", "today 09:00", "--notes", long_notes, "--json").json()["meeting"]["id"]
    result = ok("summary", str(meeting), "--mail")
    assert "too long for a mailto: link, so its text is on the clipboard" in result.stderr
    (url,) = opened(desktop)
    to, values = fields(url)
    assert to == ["talvarez@example.org"] and "body" not in values and len(url) <= MAX_URL
    clipboard = (desktop / "clipboard.txt").read_text()
    assert clipboard.count("budget line by line") == 80 and not clipboard.startswith("Subject:")


def test_summary_copy_puts_the_draft_on_the_clipboard(board: dict[str, int], desktop: Path, ok: Run) -> None:
    meeting = str(board["held"])
    draft = ok("summary", meeting, "--format", "email").stdout
    result = ok("summary", meeting, "--format", "email", "--copy")
    assert result.stdout == "" and f"Copied the summary of meeting #{meeting} to the clipboard." in result.stderr
    assert (desktop / "clipboard.txt").read_text().rstrip("\n") == draft.rstrip("\n")
    assert opened(desktop) == []


def test_no_clipboard_is_one_line(
    board: dict[str, int], desktop: Path, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WAYLAND_DISPLAY")  # a terminal with no desktop: pyperclip finds no clipboard
    result = cli("summary", str(board["held"]), "--copy")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("Error: no clipboard is reachable here") and result.stderr.count("\n") == 1


def test_without_pyperclip_it_names_the_extra(
    board: dict[str, int], desktop: Path, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pyperclip", None)
    result = cli("summary", str(board["held"]), "--copy")
    assert result.exit_code == 1 and "mentorkit[clipboard]" in result.stderr


def test_a_group_summary_is_mailed_to_the_members_with_an_address(
    board: dict[str, int], desktop: Path, ok: Run
) -> None:
    result = ok("summary", str(board["group_meeting"]), "--mail")
    assert "no email address for Writing circle: add the address there" in result.stderr
    to, _ = fields(opened(desktop)[0])
    assert to == []


# ---- pitch --mail / --copy / --mark-sent --------------------------------------------------------


def test_pitch_mail_goes_to_the_mentor_and_saves_nothing(board: dict[str, int], desktop: Path, ok: Run) -> None:
    with time_machine.travel(NOW, tick=False):
        text = ok("pitch", "--arena", "research", "--to", "alvarez").stdout
        result = ok("pitch", "--arena", "research", "--to", "alvarez", "--mail")
    assert result.stdout == "" and "Opened the pitch in your mail program." in result.stderr
    to, values = fields(opened(desktop)[0])
    assert to == ["talvarez@example.org"] and values["subject"] == "Mentorship in research"
    assert values["body"].rstrip("\r\n") == crlf(text).rstrip("\r\n")
    assert ok("pitches", "--json").json() == []


def test_pitch_mark_sent_saves_it_as_sent_today(board: dict[str, int], desktop: Path, ok: Run) -> None:
    with time_machine.travel(NOW, tick=False):
        text = ok("pitch", "--arena", "research", "--to", "alvarez").stdout
        result = ok("pitch", "--arena", "research", "--to", "alvarez", "--copy", "--mark-sent")
        assert "marked sent today" in result.stderr
        (saved,) = ok("pitches", "--json").json()
    assert saved["sent_on"] == "2026-11-25" and saved["state"] == "sent"
    assert (desktop / "clipboard.txt").read_text().rstrip("\n") == text.rstrip("\n") == saved["body"].rstrip("\n")


def test_pitch_to_no_one_opens_a_message_without_an_address(board: dict[str, int], desktop: Path, ok: Run) -> None:
    with time_machine.travel(NOW, tick=False):
        result = ok("pitch", "--arena", "career", "--mail")
    assert "the pitch is to no one (--to): add the address there" in result.stderr
    assert fields(opened(desktop)[0])[0] == []
