"""The hub's address, connecting to it, and what its errors mean to a person.

The URL is a libpq connection string (`postgresql://me@host/db?sslmode=require`, or
`host=... dbname=...`); credentials come the libpq way (`~/.pgpass`, `PGPASSWORD`, a client
certificate). mentorkit never stores the URL: `sync_state.hub` holds a fingerprint of host, port,
database and role, and messages name the hub as `role@host:port/database`, never with a password.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mentorkit.errors import InvalidInput, MentorkitError

if TYPE_CHECKING:
    import psycopg

CONNECT_TIMEOUT = 10  # seconds, unless the URL sets connect_timeout


class HubError(MentorkitError):
    """The hub cannot be reached or used; nothing was changed in the local store."""


@dataclass(frozen=True)
class HubAddress:
    conninfo: str  # what libpq is given (may hold a password: never shown, never stored)
    user: str
    host: str
    port: str
    dbname: str

    @property
    def shown(self) -> str:
        """How messages name the hub: no password, no options."""
        return f"{self.user}@{self.host}:{self.port}/{self.dbname}"

    @property
    def fingerprint(self) -> str:
        """What the store keeps to know it syncs with the same hub as last time."""
        return hashlib.sha256(f"{self.host}\0{self.port}\0{self.dbname}\0{self.user}".encode()).hexdigest()[:32]


def resolve_url(explicit: str | None) -> str:
    """The URL given, else MENTORKIT_SYNC_URL, else `[sync] url` of the config file."""
    if explicit:
        return explicit
    env = os.environ.get("MENTORKIT_SYNC_URL")
    if env:
        return env
    configured = _configured_url()
    if configured:
        return configured
    raise InvalidInput(
        "no hub to sync with: give its URL (mentorkit sync postgresql://ROLE@HOST/DATABASE), or set "
        "MENTORKIT_SYNC_URL or `sync.url` in the config file"
    )


def _configured_url() -> str | None:
    from mentorkit.config import load

    return load().sync_url or None


def address(url: str) -> HubAddress:
    """Parse the URL the way libpq does; a malformed one is refused without quoting it (it may
    hold a password)."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    try:
        params: dict[str, Any] = conninfo_to_dict(url)
    except Exception:
        raise InvalidInput(
            "the hub URL cannot be read; write it as postgresql://ROLE@HOST:PORT/DATABASE "
            "(keep the password in ~/.pgpass or PGPASSWORD)"
        ) from None
    params.setdefault("connect_timeout", CONNECT_TIMEOUT)
    params.setdefault("application_name", "mentorkit sync")
    user = str(params.get("user") or os.environ.get("PGUSER") or _login())
    host = str(params.get("host") or os.environ.get("PGHOST") or "localhost")
    port = str(params.get("port") or os.environ.get("PGPORT") or "5432")
    dbname = str(params.get("dbname") or os.environ.get("PGDATABASE") or user)
    return HubAddress(make_conninfo("", **params), user, host, port, dbname)


def _login() -> str:
    import getpass

    return getpass.getuser()


def connect(hub: HubAddress) -> psycopg.Connection[Any]:
    """A connection to the hub (not autocommit), or one clear line saying why not."""
    import psycopg

    try:
        return psycopg.connect(hub.conninfo)
    except psycopg.Error as exc:
        raise describe(exc, hub) from None


def describe(exc: BaseException, hub: HubAddress) -> HubError:
    """Turn a driver error into the one line a person can act on (never the URL's password,
    never a row's text: the driver's own message may quote either, so it is not repeated)."""
    state = getattr(exc, "sqlstate", None) or ""
    text = str(exc).lower()
    if state == "28P01" or "password authentication failed" in text or "no password supplied" in text:
        return HubError(
            f"the hub {hub.shown} refused the password of role {hub.user}; nothing was changed. "
            "Check ~/.pgpass or PGPASSWORD"
        )
    if state == "3D000" or ("database" in text and "does not exist" in text):
        return HubError(
            f"the hub server has no database {hub.dbname!r}; nothing was changed. Check the URL, or ask "
            "the hub's owner to create it and run `mentorkit sync --init URL`"
        )
    if state in ("28000", "42501") or "permission denied" in text or ("role" in text and "does not exist" in text):
        return HubError(
            f"role {hub.user} may not use the hub {hub.shown}; nothing was changed. Ask the hub's owner to "
            "make the role and add it to the mentorkit_users group (docs/sync.md)"
        )
    if not state or state.startswith("08") or state.startswith("57P"):
        return HubError(
            f"cannot reach the hub {hub.shown} (the server is down, unreachable, or closed the "
            "connection); nothing was changed locally. Run `mentorkit sync` again when it is up"
        )
    return HubError(
        f"the hub {hub.shown} failed (PostgreSQL error {state}); nothing was changed locally. "
        "Run `mentorkit sync` again; if it fails again, ask the hub's owner"
    )
