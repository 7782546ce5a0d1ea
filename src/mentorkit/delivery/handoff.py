"""Drafts that leave the terminal: a `mailto:` link opened in the mail program, or the clipboard.

`mailto_url` follows RFC 6068: the addresses, then `subject` and `body` header fields, each
value percent-encoded as UTF-8 (everything but unreserved characters, so a space is `%20` and
never `+`, and `&`, `=`, `?`, `#`, `%` cannot end a field early); line breaks in the body are
`%0D%0A`. Mail programs cut long links (2,000 characters is where some browsers and Windows
stop), so a longer one opens with To and Subject only and the body goes to the clipboard.

The link is opened by the platform's opener (`open` on macOS, `xdg-open` elsewhere), never by
`webbrowser`, which on a machine without a desktop may start a text browser in the terminal.
The clipboard is pyperclip's (the optional extra `mentorkit[clipboard]`).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from urllib.parse import quote

from mentorkit.errors import MentorkitError

MAX_URL = 2000
OPEN_WAIT_SECONDS = 15
CLIPBOARD_HINT = "pip install 'mentorkit[clipboard]' (or: pipx inject mentorkit pyperclip)"


class HandoffFailed(MentorkitError):
    """No mail program or clipboard could take the draft."""


def crlf(text: str) -> str:
    """Line breaks as CRLF, as RFC 6068 wants them in a body."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


def mailto_address(address: str) -> str:
    """An address as it goes into a `mailto:` URI (RFC 6068): percent-encoded but for `@`, so
    `+`, `?`, `#`, `%`, `,` and quotes stay part of the address. Calendars use it too."""
    return quote(address, safe="@")


def mailto_url(to: list[str], subject: str, body: str | None) -> str:
    """`mailto:a@x.org,b@y.org?subject=...&body=...` (body left out when None); control characters
    in the subject and body are escaped (`cli.text.outgoing`)."""
    from mentorkit.cli.text import outgoing, printable

    subject = printable(subject)
    body = outgoing(body) if body is not None else None
    addresses = ",".join(mailto_address(address) for address in to)
    fields = [f"subject={quote(subject, safe='')}"] if subject else []
    if body is not None:
        fields.append(f"body={quote(crlf(body), safe='')}")
    return f"mailto:{addresses}" + (f"?{'&'.join(fields)}" if fields else "")


def opener() -> list[str]:
    """The command that opens a URL with the user's own program for it."""
    if sys.platform == "darwin":
        return ["open"]
    if shutil.which("xdg-open"):
        return ["xdg-open"]
    raise HandoffFailed(
        "no program to open mailto: links was found (xdg-open is not installed); use --copy, or "
        "--format email to print the message"
    )


def open_url(url: str) -> None:
    """Hand `url` to the opener; its failure is one line."""
    command = [*opener(), url]
    try:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    except OSError as exc:
        raise HandoffFailed(f"{command[0]} could not run ({exc.strerror}); use --copy instead") from None
    try:
        _, err = process.communicate(timeout=OPEN_WAIT_SECONDS)
    except subprocess.TimeoutExpired:
        return  # still running: it handed the link on and waits for the program
    if process.returncode != 0:
        last = (err.strip().splitlines() or [f"exit status {process.returncode}"])[-1][:160]
        raise HandoffFailed(f"no mail program took the mailto: link ({command[0]}: {last}); use --copy instead")


def copy(text: str) -> None:
    """Put `text` on the clipboard (control characters escaped, `cli.text.outgoing`)."""
    from mentorkit.cli.text import outgoing

    text = outgoing(text)
    try:
        import pyperclip
    except ImportError:
        raise HandoffFailed(f"the clipboard needs pyperclip: {CLIPBOARD_HINT}") from None
    put, _ = pyperclip.determine_clipboard()
    try:
        put(text)
    except pyperclip.PyperclipException:
        raise HandoffFailed(
            "no clipboard is reachable here (it needs wl-clipboard, xclip or xsel on a desktop); "
            "print the draft and copy it yourself"
        ) from None


def message_parts(text: str) -> tuple[list[str] | None, str | None, str]:
    """The To: addresses and Subject: of a draft that starts with those lines (`--format email`,
    or a template with its own Subject line), and the body after them."""
    to: list[str] | None = None
    subject: str | None = None
    lines = text.split("\n")
    while lines and (lines[0].startswith("To:") or lines[0].startswith("Subject:")):
        name, _, value = lines.pop(0).partition(":")
        if name == "To":
            to = [address.strip() for address in value.split(",") if address.strip()]
        else:
            subject = value.strip()
    if to is not None or subject is not None:
        while lines and not lines[0].strip():
            lines.pop(0)
    return to, subject, "\n".join(lines)


@dataclass
class Handed:
    url: str  # the mailto: link opened
    body_on_clipboard: bool  # the body was too long for the link and went to the clipboard


def mail(to: list[str], subject: str, body: str) -> Handed:
    """Open the mail program with a new message; a body too long for a link goes to the clipboard."""
    url = mailto_url(to, subject, body)
    if len(url) <= MAX_URL:
        open_url(url)
        return Handed(url, body_on_clipboard=False)
    copy(body)
    short = mailto_url(to, subject, None)
    open_url(short)
    return Handed(short, body_on_clipboard=True)
