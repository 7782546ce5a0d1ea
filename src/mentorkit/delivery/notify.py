"""A desktop notification through desktop-notifier (the optional extra `mentorkit[notify]`).

desktop-notifier never raises when a notification cannot be shown: it logs a warning (with a
traceback) and carries on. So success is what the library itself reports through its public
`on_dispatched` callback, which it calls only once the platform took the notification; its log
records are caught here (never printed) to say why it failed. Where nothing can show it (no
session bus on a server or in cron, no notification daemon, a platform the library cannot serve),
that is one line for the person, never a traceback. On Linux the body is escaped for the
servers' markup (`&`, `<`, `>`); the title is plain text there.
"""

from __future__ import annotations

import logging
import os
import sys

from mentorkit.errors import MentorkitError

APP_NAME = "mentorkit"
TIMEOUT_SECONDS = 10.0
EXTRA_HINT = "pip install 'mentorkit[notify]' (or: pipx inject mentorkit desktop-notifier)"
ELSEWHERE = "use `mentorkit remind --email ADDRESS` there instead"


class NotificationFailed(MentorkitError):
    """No notification service took the notification."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def notify(title: str, message: str) -> None:
    """Show one desktop notification, or raise NotificationFailed with the reason in one line."""
    try:
        from desktop_notifier import DesktopNotifier
    except ImportError:
        raise NotificationFailed(f"desktop notifications need desktop-notifier: {EXTRA_HINT}") from None
    import asyncio

    from mentorkit.cli.text import outgoing, printable

    title, message = printable(title), outgoing(message)
    dispatched: list[bool] = []
    logger = logging.getLogger("desktop_notifier")
    collect = _Collect()
    saved = logger.propagate, logger.level
    logger.addHandler(collect)
    logger.propagate = False  # its warning and traceback are ours to explain, not to print
    logger.setLevel(logging.DEBUG)

    if sys.platform.startswith("linux"):
        # The freedesktop servers (GNOME, KDE, dunst, mako) read the body as markup: a follow-up
        # that says "R&D <b>now</b>" must show as written, not break the markup or turn bold.
        import html

        message = html.escape(message, quote=False)

    async def send() -> bool:
        notifier = DesktopNotifier(app_name=APP_NAME, app_icon=None)
        if not await notifier.get_capabilities():
            return False  # the library's stand-in for a platform it cannot reach: it would show nothing
        await notifier.send(title=title, message=message, on_dispatched=lambda: dispatched.append(True))
        return True

    try:
        reachable = asyncio.run(asyncio.wait_for(send(), TIMEOUT_SECONDS))
    except TimeoutError:
        raise NotificationFailed(
            f"the notification service did not answer within {TIMEOUT_SECONDS:.0f} seconds; {ELSEWHERE}"
        ) from None
    except Exception as exc:  # connecting failed: no bus, no daemon, a platform it cannot serve
        raise NotificationFailed(f"no desktop notification could be shown ({_why(exc)}); {ELSEWHERE}") from None
    finally:
        logger.removeHandler(collect)
        logger.propagate, level = saved
        logger.setLevel(level)
    if not reachable:
        raise NotificationFailed(f"no desktop notification could be shown ({_why(None)}); {ELSEWHERE}")
    if not dispatched:
        failure = next((r.exc_info[1] for r in collect.records if r.exc_info and r.exc_info[1]), None)
        raise NotificationFailed(f"the notification was not shown ({_why(failure)}); {ELSEWHERE}")


def _why(exc: BaseException | None) -> str:
    if sys.platform.startswith("linux") and not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return "no session bus: DBUS_SESSION_BUS_ADDRESS is not set, as on a server or in cron"
    if exc is not None:
        return _reason(exc)
    if sys.platform == "darwin":
        return "on macOS, desktop-notifier can only notify from an app bundle"
    return "no notification service on this system"


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    text = text if len(text) <= 120 else text[:119] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
