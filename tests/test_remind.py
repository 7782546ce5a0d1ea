"""`mentorkit remind`: the digest, its desktop notification and its email (docs/reminders.md).

No test needs a desktop, a network or a mail account: the notification goes to a fake backend
given to desktop-notifier through its public `get_backend_class`, or fails for real without a
session bus; the email goes to an aiosmtpd server on 127.0.0.1 started by the test.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # Monday, 09:00 in London (the profile's zone)
Run = Callable[..., Any]


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def board(ok: Run, clock: Any) -> Run:
    """Maya's board: nothing due yet, one meeting planned for Thursday."""
    ok("profile", "set", "--name", "Maya Okafor", "--timezone", "Europe/London")
    ok("add-mentor", "Dr. Teresa Alvarez", "--stage", "active", "--email", "talvarez@example.org")
    ok("add-mentor", "Dr. James Whitfield", "--stage", "active")
    ok("plan", "alvarez", "--when", "thursday 15:00", "--agenda", "Aims page")
    return ok


@pytest.fixture
def due(board: Run) -> Run:
    """Two items overdue, one due today, one next week, one with no date."""
    board("followup", "add", "alvarez", "Send Teresa the revised aims", "--due", "2026-12-04")
    board("followup", "add", "whitfield", "Ask James about the dossier", "--due", "2026-12-05")
    board("followup", "add", "whitfield", "Book the room", "--due", "today")
    board("followup", "add", "alvarez", "Read the R01 draft", "--due", "next tuesday")
    board("followup", "add", "alvarez", "Someday: co-author a review")
    return board


# ---- the digest ---------------------------------------------------------------------------------


def test_nothing_due_is_silent_with_exit_0(board: Run, cli: Run) -> None:
    result = cli("remind")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_always_prints_even_when_nothing_is_due(board: Run) -> None:
    out = board("remind", "--always").stdout
    assert out.startswith("mentorkit: nothing due today\n")
    assert "Next meeting: Thu 10 Dec 2026 15:00 GMT, video with Dr. Teresa Alvarez (#1)" in out


def test_the_digest_lists_overdue_then_today_and_the_next_meeting(due: Run) -> None:
    out = due("remind").stdout
    lines = out.splitlines()
    assert lines[0] == "mentorkit: 2 overdue, 1 due today"
    body = "\n".join(lines[3:])
    assert body.index("3 days late") < body.index("2 days late") < body.index("due today")
    assert "Send Teresa the revised aims" in body and "Book the room" in body
    assert "R01" not in out and "Someday" not in out  # not due yet; undated
    assert lines[-1] == "Next meeting: Thu 10 Dec 2026 15:00 GMT, video with Dr. Teresa Alvarez (#1)"


def test_json_always_prints_the_digest_as_data(board: Run, due: Run) -> None:
    data = due("remind", "--json").json()
    assert data["today"] == "2026-12-07" and data["quiet"] is False
    assert data["headline"] == "2 overdue, 1 due today"
    assert [i["due"] for i in data["overdue"]] == ["2026-12-04", "2026-12-05"]
    assert [i["kind"] for i in data["due_today"]] == ["action"]
    assert data["next_meeting"]["id"] == 1 and data["next_meeting"]["starts_at"] == "2026-12-10T15:00:00Z"


def test_json_says_quiet_when_nothing_is_due(board: Run) -> None:
    data = board("remind", "--json").json()
    assert data["quiet"] is True and data["overdue"] == data["due_today"] == data["meetings_today"] == []


def test_a_meeting_later_today_is_worth_a_reminder(board: Run, clock: Any) -> None:
    board("plan", "whitfield", "--when", "today 16:30", "--agenda", "Dossier")
    out = board("remind").stdout
    assert out.splitlines()[0] == "mentorkit: 1 meeting today"
    assert "Meeting today: Mon 7 Dec 2026 16:30 GMT, video with Dr. James Whitfield (#2)" in out
    assert "Next meeting" not in out  # it is the next one
    clock.move_to(datetime(2026, 12, 7, 17, 0, tzinfo=UTC))  # it began half an hour ago
    data = board("remind", "--json").json()
    assert [i["kind"] for i in data["due_today"]] == ["record"] and data["meetings_today"] == []


def test_many_items_are_cut_to_five_with_a_count(board: Run) -> None:
    for n in range(8):
        board("followup", "add", "alvarez", f"Task {n}", "--due", "yesterday")
    out = board("remind").stdout
    assert out.splitlines()[0] == "mentorkit: 8 overdue"
    assert sum("Task" in line for line in out.splitlines()) == 5
    assert "… and 3 more: mentorkit followups" in out


def test_a_missing_store_is_one_line(cli: Run, tmp_path: Path) -> None:
    result = cli("--db", str(tmp_path / "none.db"), "remind", "--json")  # without --json: silent (a new machine)
    assert result.exit_code == 1 and result.stderr.count("\n") == 1 and "none.db" in result.stderr


def test_remind_imports_no_heavy_library(due: Run, db_path: Path) -> None:
    from test_performance_design import HEAVY, imported, run_fresh

    result = run_fresh(["remind"], {"MENTORKIT_DB": str(db_path)})
    assert result["code"] == 0 and "overdue" in result["out"]
    assert imported(result, *HEAVY, "desktop_notifier", "smtplib", "email", "tomllib") == []


# ---- --notify -----------------------------------------------------------------------------------


@pytest.fixture
def notifications(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Notifications shown by a fake desktop-notifier backend (through the library's own code)."""
    import desktop_notifier.main
    from desktop_notifier import Capability
    from desktop_notifier.backends.base import DesktopNotifierBackend

    shown: list[tuple[str, str]] = []

    class Fake(DesktopNotifierBackend):
        async def request_authorisation(self) -> bool:
            return True

        async def has_authorisation(self) -> bool:
            return True

        async def _send(self, notification: Any) -> None:
            shown.append((notification.title, notification.message))

        async def _clear(self, identifier: str) -> None:
            pass

        async def _clear_all(self) -> None:
            pass

        async def _get_capabilities(self) -> frozenset[Any]:
            return frozenset({Capability.TITLE, Capability.MESSAGE})

    monkeypatch.setattr(desktop_notifier.main, "get_backend_class", lambda: Fake)
    return shown


def test_notify_shows_one_notification_with_counts_and_the_most_urgent_item(
    due: Run, notifications: list[tuple[str, str]]
) -> None:
    result = due("remind", "--notify")
    assert result.stdout == "" and result.stderr == ""
    assert len(notifications) == 1
    title, message = notifications[0]
    assert title == "mentorkit: 2 overdue, 1 due today"
    first, more, meeting = message.splitlines()
    assert first.startswith("3 days late · action · Dr. Teresa Alvarez: Send Teresa the revised aims")
    assert more == "and 2 more: mentorkit followups"
    assert meeting.startswith("Next meeting: Thu 10 Dec 2026 15:00 GMT")


def test_notify_shows_markup_in_stored_text_as_written(
    board: Run, notifications: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    board("followup", "add", "alvarez", "R&D <b>budget</b>", "--due", "today")
    monkeypatch.setattr(sys, "platform", "linux")  # D-Bus servers read the body as markup
    board("remind", "--notify")
    assert notifications[0][1].startswith("due today · action · Dr. Teresa Alvarez: R&amp;D &lt;b&gt;budget&lt;/b&gt;")


def test_notify_stays_silent_when_nothing_is_due(board: Run, notifications: list[tuple[str, str]]) -> None:
    assert board("remind", "--notify").stderr == "" and notifications == []
    board("remind", "--notify", "--always")
    assert notifications[0][0] == "mentorkit: nothing due today"


def test_a_backend_that_fails_is_one_line_and_exit_1(
    due: Run, cli: Run, notifications: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    import desktop_notifier.main

    broken = desktop_notifier.main.get_backend_class()

    async def refuse(self: Any, notification: Any) -> None:
        raise ConnectionError("org.freedesktop.Notifications went away")

    monkeypatch.setattr(broken, "_send", refuse)
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
    result = cli("remind", "--notify")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (
        "Error: the notification was not shown (ConnectionError: org.freedesktop.Notifications went away); "
        "use `mentorkit remind --email ADDRESS` there instead\n"
    )


def test_without_desktop_notifier_installed_it_says_which_extra(
    due: Run, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "desktop_notifier", None)  # import fails as if not installed
    result = cli("remind", "--notify")
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "mentorkit[notify]" in result.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the session bus is Linux's")
def test_without_a_session_bus_for_real_one_line_no_traceback(due: Run, db_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY")}
    done = subprocess.run(
        [sys.executable, "-m", "mentorkit", "--db", str(db_path), "remind", "--notify", "--always"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == (
        "Error: no desktop notification could be shown (no session bus: DBUS_SESSION_BUS_ADDRESS is not set, "
        "as on a server or in cron); use `mentorkit remind --email ADDRESS` there instead\n"
    )


@pytest.mark.skipif(shutil.which("dbus-daemon") is None, reason="needs dbus-daemon for a real session bus")
def test_a_session_bus_without_a_notification_service_is_one_line(due: Run, db_path: Path, tmp_path: Path) -> None:
    """A real bus of our own (dbus-daemon, stopped by its pid afterwards) on which no notification
    daemon runs: the reason comes from the bus, in one line, exit 1."""
    socket_path = tmp_path / "bus"
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--nopidfile", f"--address=unix:path={socket_path}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            if socket_path.exists():
                break
            time.sleep(0.05)
        env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": f"unix:path={socket_path}"}
        done = subprocess.run(
            [sys.executable, "-m", "mentorkit", "--db", str(db_path), "remind", "--notify"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)
    assert done.returncode == 1 and done.stdout == "" and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("Error: no desktop notification could be shown (")
    assert "org.freedesktop.Notifications" in done.stderr and "Traceback" not in done.stderr


# ---- --email ------------------------------------------------------------------------------------


def free_port() -> int:
    """A port on 127.0.0.1 that nobody listens on (bound, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, Inbox]]:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    def check(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        ok = auth_data.login == b"maya" and auth_data.password == b"s3cret"
        return AuthResult(success=ok, handled=False)  # a refusal answered 535 by the server

    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, authenticator=check, auth_require_tls=False, auth_required=False
    )
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


@pytest.fixture
def mail_config(ok: Run, smtp_server: tuple[int, Inbox]) -> Inbox:
    port, inbox = smtp_server
    ok("config", "set", "mail.host", "127.0.0.1")
    ok("config", "set", "mail.port", str(port))
    ok("config", "set", "mail.from", "Maya Okafor <maya.okafor@example.org>")
    ok("config", "set", "mail.starttls", "false")  # a local test server without TLS
    return inbox


def test_email_sends_the_digest_with_its_headers(due: Run, mail_config: Inbox) -> None:
    result = due("remind", "--email", "maya@example.org")
    assert result.stdout == "" and result.stderr == "Sent the digest to maya@example.org.\n"
    ((sender, recipients, raw),) = mail_config.messages
    assert sender == "maya.okafor@example.org" and recipients == ["maya@example.org"]
    msg = message_from_bytes(raw)
    assert msg["From"] == "Maya Okafor <maya.okafor@example.org>" and msg["To"] == "maya@example.org"
    assert msg["Subject"] == "mentorkit: 2 overdue, 1 due today (Mon 7 Dec 2026)"
    assert parsedate_to_datetime(msg["Date"]) == NOW
    assert msg["Message-ID"].startswith("<") and msg["Message-ID"].endswith("@example.org>")
    assert msg.get_content_type() == "text/plain"
    body = msg.get_payload(decode=True).decode(msg.get_content_charset() or "utf-8")
    assert body.splitlines()[0] == "mentorkit, Mon 7 Dec 2026: 2 overdue, 1 due today"
    assert "- 3 days late · action · Dr. Teresa Alvarez: Send Teresa the revised aims" in body
    assert "- due today · action · Dr. James Whitfield: Book the room" in body
    assert "Next meeting: Thu 10 Dec 2026 15:00 GMT, video with Dr. Teresa Alvarez (#1)" in body


def test_email_logs_in_with_the_password_from_the_environment(
    due: Run, cli: Run, mail_config: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    due("config", "set", "mail.user", "maya")
    result = cli("remind", "--email", "maya@example.org")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no password for the SMTP user maya: set MENTORKIT_SMTP_PASSWORD")
    monkeypatch.setenv("MENTORKIT_SMTP_PASSWORD", "wrong")
    result = cli("remind", "--email", "maya@example.org")
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "refused the login of maya (535); check mail.user and the password" in result.stderr
    assert "wrong" not in result.stderr and mail_config.messages == []
    monkeypatch.setenv("MENTORKIT_SMTP_PASSWORD", "s3cret")
    due("remind", "--email", "maya@example.org")
    assert len(mail_config.messages) == 1


def test_email_nothing_due_sends_nothing(board: Run, mail_config: Inbox) -> None:
    assert board("remind", "--email", "maya@example.org").stderr == ""
    assert mail_config.messages == []


def test_starttls_the_server_does_not_offer_is_one_line(due: Run, cli: Run, mail_config: Inbox) -> None:
    due("config", "set", "mail.starttls", "true")
    result = cli("remind", "--email", "maya@example.org")
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "does not offer STARTTLS" in result.stderr and mail_config.messages == []


def test_a_refused_connection_is_one_line(due: Run, cli: Run) -> None:
    port = free_port()
    due("config", "set", "mail.host", "127.0.0.1")
    due("config", "set", "mail.port", str(port))
    due("config", "set", "mail.from", "maya@example.org")
    result = cli("remind", "--email", "maya@example.org")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: the SMTP server 127.0.0.1:{port} refused the connection; check mail.host and mail.port\n"
    )


@pytest.mark.parametrize(
    ("settings", "address", "message"),
    [
        ({}, "maya@example.org", "no SMTP server is set; set it with `mentorkit config set mail.host"),
        ({"mail.host": "127.0.0.1"}, "maya@example.org", "needs a From: address; set it with `mentorkit config set"),
        ({"mail.host": "127.0.0.1"}, "not an address", "is not an email address"),
        ({"mail.host": "127.0.0.1"}, "", "--email needs an address"),
    ],
)
def test_missing_settings_and_bad_addresses_are_one_line(
    due: Run, cli: Run, settings: dict[str, str], address: str, message: str
) -> None:
    for key, value in settings.items():
        due("config", "set", key, value)
    result = cli("remind", "--email", address)
    assert result.exit_code == 1 and result.stderr.count("\n") == 1 and message in result.stderr


def test_the_keyring_is_asked_when_the_environment_has_no_password(monkeypatch: pytest.MonkeyPatch) -> None:
    """Through keyring's public API: a backend set with `keyring.set_keyring`."""
    import keyring
    from keyring.backend import KeyringBackend

    from mentorkit.delivery.smtp import password_for

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            return "from-keyring" if (service, username) == ("mentorkit", "maya") else None

        def set_password(self, service: str, username: str, password: str) -> None:
            raise NotImplementedError

        def delete_password(self, service: str, username: str) -> None:
            raise NotImplementedError

    monkeypatch.delenv("MENTORKIT_SMTP_PASSWORD", raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(Memory())
    try:
        assert password_for("maya") == "from-keyring"
        from mentorkit.delivery.smtp import MailFailed

        with pytest.raises(MailFailed, match="no password for the SMTP user ana"):
            password_for("ana")
        from keyring.backends import fail

        keyring.set_keyring(fail.Keyring())  # what keyring has where no keyring service runs
        with pytest.raises(MailFailed, match=r"maya: set MENTORKIT_SMTP_PASSWORD.*no system keyring is available here"):
            password_for("maya")
    finally:
        keyring.set_keyring(previous)


def test_the_digest_text_is_plain_and_short(due: Run, db_path: Path) -> None:
    import sqlite3
    from zoneinfo import ZoneInfo

    from mentorkit.domain.reminders import digest, digest_text

    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        result = digest(conn, NOW + timedelta(days=30), ZoneInfo("Europe/London"))
        text = digest_text(result, ZoneInfo("Europe/London"), shown=2)
    assert result.next_meeting is None
    assert len(result.items) == 5  # four dated actions, and Thursday's meeting to record
    assert text.splitlines()[-2:] == [
        "- and 3 more: mentorkit followups",
        "No meeting planned: mentorkit plan MENTOR --when ...",
    ]


def test_preparing_for_tomorrows_meeting_waits_for_its_day(board: Run) -> None:
    board("plan", "whitfield", "--when", "tomorrow 10:00")  # no agenda: `followups` says prepare
    assert [i["kind"] for i in board("followups", "--json").json()] == ["prepare"]
    assert board("remind").stdout == ""
    data = board("remind", "--json").json()
    assert data["quiet"] is True and data["next_meeting"]["mentor"] == "Dr. James Whitfield"


def test_notify_and_email_together_one_failing_still_sends_the_other(
    due: Run, cli: Run, mail_config: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.setitem(sys.modules, "desktop_notifier", None)  # no notifications here
    result = cli("remind", "--notify", "--email", "maya@example.org")
    assert result.exit_code == 1 and "mentorkit[notify]" in result.stderr
    assert "Sent the digest to maya@example.org." in result.stderr and len(mail_config.messages) == 1


# ---- control characters leave only as escapes -----------------------------------------------------

EVIL = "click \x1b]8;;http://evil\x07here\x1b]8;;\x07 \x1b[2J wipe"


def test_the_emailed_digest_carries_no_control_characters(board: Run, mail_config: Inbox) -> None:
    board("followup", "add", "alvarez", EVIL, "--due", "today")
    board("remind", "--email", "maya@example.org")
    ((_, _, raw),) = mail_config.messages
    msg = message_from_bytes(raw)
    body = msg.get_payload(decode=True).decode(msg.get_content_charset() or "utf-8")
    assert "click \\x1b]8;;http://evil\\x07here\\x1b]8;;\\x07 \\x1b[2J wipe" in body
    assert not any((ord(c) < 32 and c not in "\n\r\t") or 0x7F <= ord(c) <= 0x9F for c in body)


def test_the_notification_carries_no_control_characters(
    board: Run, notifications: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    board("followup", "add", "alvarez", EVIL, "--due", "today")
    monkeypatch.setattr(sys, "platform", "linux")
    board("remind", "--notify")
    message = notifications[0][1]
    assert "click \\x1b]8;;http://evil\\x07here" in message and "\x1b" not in message and "\x07" not in message


# ---- a machine with no store yet ------------------------------------------------------------------


def test_remind_without_a_store_is_silent_and_creates_nothing(cli: Run, db_path: Path) -> None:
    for args in (["remind"], ["remind", "--notify"], ["--db", str(db_path.parent / "other.db"), "remind"]):
        result = cli(*args)
        assert (result.exit_code, result.stdout, result.stderr) == (0, "", ""), args
    result = cli("remind", "--always")
    assert result.exit_code == 0 and result.stdout == ""
    assert (
        result.stderr
        == f"mentorkit: there is no store at {db_path} yet, so nothing is due (a command that writes creates it)\n"
    )
    result = cli("remind", "--json")  # data was asked for: the store's own one line
    assert result.exit_code == 1 and "there is no store at" in result.stderr
    assert not db_path.exists()


def test_a_server_without_login_names_auth_not_starttls(due: Run, cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)  # a local relay: no STARTTLS, no AUTH
    controller.start()
    try:
        for key, value in (("host", "127.0.0.1"), ("port", str(port)), ("starttls", "false")):
            due("config", "set", f"mail.{key}", value)
        due("config", "set", "mail.from", "maya@example.org")
        due("config", "set", "mail.user", "maya")
        monkeypatch.setenv("MENTORKIT_SMTP_PASSWORD", "pw")
        result = cli("remind", "--email", "maya@example.org")
    finally:
        controller.stop()
    assert result.exit_code == 1 and inbox.messages == []
    assert result.stderr == (
        f"Error: the SMTP server 127.0.0.1:{port} does not offer login (AUTH); `config unset mail.user` to send "
        "without logging in (a local relay), or check mail.host and mail.port\n"
    )
