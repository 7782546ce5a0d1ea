"""`--mail` and `--copy` of `summary` and `pitch`: a draft handed to the mail program or the clipboard
(delivery/handoff.py does the work; this says what happened)."""

from __future__ import annotations

from typing import Annotated

import typer

from mentorkit.cli.common import say

MailOpt = Annotated[
    bool,
    typer.Option("--mail", help="Open it as a new message in your mail program (a mailto: link); marks nothing sent."),
]
CopyOpt = Annotated[
    bool, typer.Option("--copy", help="Put it on the clipboard (needs the clipboard extra: pyperclip).")
]


def hand_off(text: str, to: list[str], subject: str, *, mail: bool, copy: bool, what: str, missing: str) -> None:
    """`--copy` puts the draft on the clipboard; `--mail` opens it as a new message (a draft that
    starts with To:/Subject: lines gives them). Neither marks anything sent."""
    from mentorkit.delivery.handoff import copy as to_clipboard
    from mentorkit.delivery.handoff import mail as to_mail
    from mentorkit.delivery.handoff import message_parts

    if copy:
        to_clipboard(text)
        say(f"Copied {what} to the clipboard.")
    if not mail:
        return
    own_to, own_subject, body = message_parts(text)
    to = own_to if own_to is not None else to
    handed = to_mail(to, own_subject or subject, body)
    say(f"Opened {what} in your mail program" + ("." if to else f"; {missing}: add the address there."))
    if handed.body_on_clipboard:
        say("It is too long for a mailto: link, so its text is on the clipboard: paste it into the message.")
