"""Plain-text email through SMTP (the standard library's smtplib and email), for `remind --email`.

Settings come from the config file's [mail] section (config.MailSettings). The password is
never on the command line or in the config file: it is read from MENTORKIT_SMTP_PASSWORD, else
from the system keyring (`keyring`, the optional extra `mentorkit[keyring]`) under the service
name "mentorkit" and the SMTP user name. Every failure (no server configured, connection refused,
an unknown host, a refused login or address) is one line naming the setting to fix.
"""

from __future__ import annotations

import os
import socket
import ssl
from datetime import datetime
from email.message import EmailMessage

from mentorkit.config import MailSettings
from mentorkit.errors import InvalidInput, MentorkitError

PASSWORD_VAR = "MENTORKIT_SMTP_PASSWORD"
KEYRING_SERVICE = "mentorkit"
TIMEOUT_SECONDS = 30
TLS_PORT = 465


NO_HOST = "no SMTP server is set; set it with `mentorkit config set mail.host smtp.example.org`"


class MailFailed(MentorkitError):
    """The message could not be handed to the SMTP server."""


def message(settings: MailSettings, to: str, subject: str, body: str, now: datetime) -> EmailMessage:
    """The message: From, To, Subject, Date and Message-ID headers, and a plain-text UTF-8 body."""
    from email.utils import format_datetime, make_msgid, parseaddr

    if not settings.host:
        raise InvalidInput(NO_HOST)
    if not settings.sender:
        raise InvalidInput(
            "the digest needs a From: address; set it with `mentorkit config set mail.from you@example.org`"
        )
    from mentorkit.cli.text import outgoing, printable

    subject, body = printable(subject), outgoing(body)
    msg = EmailMessage()
    msg["From"] = settings.sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid("mentorkit", domain=parseaddr(settings.sender)[1].rpartition("@")[2] or None)
    msg.set_content(body)
    return msg


def password_for(user: str) -> str:
    """The SMTP password: $MENTORKIT_SMTP_PASSWORD, else the system keyring."""
    value = os.environ.get(PASSWORD_VAR)
    if value:
        return value
    fix = f"set {PASSWORD_VAR}, or store it with `keyring set {KEYRING_SERVICE} {user}`"
    try:
        import keyring
        from keyring.errors import KeyringError, NoKeyringError
    except ImportError:
        raise MailFailed(
            f"no password for the SMTP user {user}: {fix} (the keyring needs pip install 'mentorkit[keyring]')"
        ) from None
    try:
        stored = keyring.get_password(KEYRING_SERVICE, user)
    except NoKeyringError:
        raise MailFailed(f"no password for the SMTP user {user}: {fix} (no system keyring is available here)") from None
    except KeyringError as exc:
        raise MailFailed(f"the system keyring could not be read ({type(exc).__name__}); {fix}") from None
    if not stored:
        raise MailFailed(f"no password for the SMTP user {user}: {fix}")
    return stored


def send(settings: MailSettings, msg: EmailMessage) -> None:
    """Hand `msg` to the configured SMTP server (TLS on port 465, else STARTTLS unless turned off)."""
    import smtplib

    host, port = settings.host, settings.port
    if not host:
        raise InvalidInput(NO_HOST)
    where = f"the SMTP server {host}:{port}"
    password = password_for(settings.user) if settings.user else None
    context = ssl.create_default_context()
    try:
        smtp: smtplib.SMTP
        if port == TLS_PORT:
            smtp = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT_SECONDS, context=context)
        else:
            smtp = smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS)
        with smtp:
            if port != TLS_PORT and settings.starttls:
                smtp.starttls(context=context)
            if settings.user and password is not None:
                smtp.login(settings.user, password)
            smtp.send_message(msg)
    except smtplib.SMTPNotSupportedError as exc:
        if "AUTH" in str(exc) or not (port != TLS_PORT and settings.starttls):  # login was what it lacked
            raise MailFailed(
                f"{where} does not offer login (AUTH); `config unset mail.user` to send without logging in "
                "(a local relay), or check mail.host and mail.port"
            ) from None
        raise MailFailed(
            f"{where} does not offer STARTTLS; use its TLS port (`config set mail.port 465`), or, "
            "only for a server on this machine, `config set mail.starttls false`"
        ) from None
    except smtplib.SMTPAuthenticationError as exc:
        raise MailFailed(
            f"{where} refused the login of {settings.user} ({exc.smtp_code}); check mail.user and the password"
        ) from None
    except smtplib.SMTPRecipientsRefused as exc:
        refused = ", ".join(exc.recipients)
        raise MailFailed(f"{where} refused the address {refused}; check it") from None
    except smtplib.SMTPSenderRefused:
        raise MailFailed(f"{where} refused the From: address; check mail.from") from None
    except smtplib.SMTPException as exc:
        raise MailFailed(f"{where} did not take the message ({_short(exc)}); nothing was sent") from None
    except ssl.SSLError as exc:
        raise MailFailed(
            f"TLS with {where} failed ({exc.reason or 'SSLError'}); check mail.host and mail.port"
        ) from None
    except socket.gaierror:
        raise MailFailed(f"the SMTP server {host} is not a known host; check mail.host") from None
    except ConnectionRefusedError:
        raise MailFailed(f"{where} refused the connection; check mail.host and mail.port") from None
    except TimeoutError:
        raise MailFailed(
            f"{where} did not answer within {TIMEOUT_SECONDS} seconds; check mail.host and mail.port"
        ) from None
    except OSError as exc:
        raise MailFailed(
            f"cannot reach {where} ({exc.strerror or type(exc).__name__}); check mail.host and mail.port"
        ) from None


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 100 else text[:99] + "…"
