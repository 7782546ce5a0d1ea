"""The config file: settings a person keeps between runs, in one small TOML file.

Where: `$MENTORKIT_CONFIG` when set, else `config.toml` in the platform's user config directory
(`~/.config/mentorkit/config.toml` on Linux, `$XDG_CONFIG_HOME` honoured). This module is the only
code that reads that file or that variable; everything else asks `load()` for a `Config`.

    [hours]     start = "08:00", end = "18:00"      working hours (for planning meetings)
    [remind]    at = "08:00"                         when `remind install` runs the digest
    [calendar]  alarm = "15m"                        alarm before planned meetings in calendars
    [mail]      host, port = 587, user, from, starttls = true   SMTP for `remind --email`
    [mentors]   default_stage = "prospect"           stage of a mentor added without --stage
    [sync]      url = ""                             the sync hub (`mentorkit sync`)

A missing file means every default. An unknown section or key, a value of the wrong kind or a
file that is not TOML is one line naming the key (or the line) and the file. No password is
ever kept here: `remind --email` reads it from MENTORKIT_SMTP_PASSWORD or the system keyring.

`set_value`/`unset_value` write the file privately (0600, its directory 0700), atomically and
never through a symbolic link. They change just the one line, so a person's comments and layout
stay; when the file's layout does not allow that (dotted keys, inline tables), the file is written
anew in the layout below, and the caller is told so.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import time
from pathlib import Path
from typing import Any

from mentorkit.errors import InvalidInput, MentorkitError

ENV_VAR = "MENTORKIT_CONFIG"
FILE_NAME = "config.toml"
NEW_STAGES = ("prospect", "pilot", "active", "paused")
MAX_ALARM_MINUTES = 7 * 24 * 60


class ConfigError(MentorkitError):
    """The config file cannot be read, or holds a key or value mentorkit does not know."""


@dataclass(frozen=True)
class MailSettings:
    """SMTP settings for `remind --email` (`from` is `sender`: `from` is a Python keyword)."""

    host: str | None = None
    port: int = 587
    user: str | None = None
    sender: str | None = None
    starttls: bool = True


@dataclass(frozen=True)
class Config:
    hours_start: time = time(8, 0)
    hours_end: time = time(18, 0)
    remind_at: time = time(8, 0)
    alarm_minutes: int = 15
    mail: MailSettings = field(default_factory=MailSettings)
    default_stage: str = "prospect"
    sync_url: str | None = None


# ---- the keys ---------------------------------------------------------------------------------


def _time(value: Any) -> time:
    """`HH:MM` (24-hour); also what `dates.parse_time` reads (9:30, 3pm), and a TOML time."""
    if isinstance(value, time) and value.tzinfo is None:
        return value.replace(second=0, microsecond=0)
    if not isinstance(value, str):
        raise ValueError('is not a time; write it as a quoted 24-hour time such as "08:00"')
    from mentorkit.dates import parse_time

    try:
        return parse_time(value)
    except InvalidInput:
        raise ValueError(f"{_shown(value)} is not a time of day; write HH:MM, such as 08:00") from None


_DURATION = re.compile(r"^(?:(\d{1,4})\s*h(?:ours?)?)?\s*(?:(\d{1,5})\s*m(?:in(?:utes?)?)?)?$")


def _minutes(value: Any) -> int:
    """`15m`, `1h`, `1h30m`, `90 minutes`, or a whole number of minutes."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError('is not a duration; write minutes or hours such as "15m" or "1h"')
    if isinstance(value, int):
        minutes = value
    else:
        text = value.strip().lower()
        m = _DURATION.match(text)
        if text.isdecimal():
            minutes = int(text)
        elif m and text and (m[1] or m[2]):
            minutes = int(m[1] or 0) * 60 + int(m[2] or 0)
        else:
            raise ValueError(f"{_shown(value)} is not a duration; write minutes or hours such as 15m, 1h or 1h30m")
    if not 0 <= minutes <= MAX_ALARM_MINUTES:
        raise ValueError(f"must be from 0 minutes to 7 days, not {minutes} minutes")
    return minutes


def _port(value: Any) -> int:
    if isinstance(value, str) and value.strip().isdecimal():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
        raise ValueError("is not a port; give a number from 1 to 65535 (587 for STARTTLS, 465 for TLS)")
    return value


_TRUE, _FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError("is not true or false")


def _host(value: Any) -> str | None:
    text = _text(value)
    if text is not None and (any(c.isspace() for c in text) or "/" in text or len(text) > 253):
        raise ValueError("is not a host name; give one such as smtp.example.org")
    return text


def _address(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    from email.utils import parseaddr

    from mentorkit.domain.common import is_email

    _, address = parseaddr(text)  # the address must be all of the text, or all between its < and >
    if not is_email(address) or not (text == address or text.endswith(f"<{address}>")):
        raise ValueError("is not an email address; give one such as maya@example.org or 'Maya <maya@example.org>'")
    return text


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        raise ValueError("must be text in quotes")
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError("holds a control character; remove it")
    return value.strip() or None


def _sync_url(value: Any) -> str | None:
    """A libpq URL or nothing; the value is not repeated (it may hold a password)."""
    text = _text(value)
    if text is not None and not text.lower().startswith(("postgresql://", "postgres://")):
        raise ValueError("is not a PostgreSQL URL; give one such as postgresql://ROLE@HOST/DATABASE")
    return text


def _stage(value: Any) -> str:
    if not isinstance(value, str) or value.strip().lower() not in NEW_STAGES:
        raise ValueError(f"must be one of: {', '.join(NEW_STAGES)}")
    return value.strip().lower()


def _shown(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:40] + "…")


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def _alarm_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h{rest}m"
    return f"{hours}h" if hours else f"{rest}m"


@dataclass(frozen=True)
class Key:
    """One setting: its dotted name, how a value is read, where it goes in `Config`, and how it is
    written back to the file (`stored`) and shown (`shown`)."""

    name: str
    parse: Callable[[Any], Any]
    apply: Callable[[Config, Any], Config]
    get: Callable[[Config], Any]
    help: str
    stored: Callable[[Any], Any] = lambda value: value

    @property
    def section(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def short(self) -> str:
        return self.name.split(".", 1)[1]


def _mail(name: str) -> Callable[[Config, Any], Config]:
    return lambda config, value: replace(config, mail=replace(config.mail, **{name: value}))


KEYS: dict[str, Key] = {
    key.name: key
    for key in (
        Key(
            "hours.start",
            _time,
            lambda c, v: replace(c, hours_start=v),
            lambda c: c.hours_start,
            "start of your working hours (HH:MM)",
            _hhmm,
        ),
        Key(
            "hours.end",
            _time,
            lambda c, v: replace(c, hours_end=v),
            lambda c: c.hours_end,
            "end of your working hours (HH:MM)",
            _hhmm,
        ),
        Key(
            "remind.at",
            _time,
            lambda c, v: replace(c, remind_at=v),
            lambda c: c.remind_at,
            "when `remind install` schedules the daily digest (HH:MM)",
            _hhmm,
        ),
        Key(
            "calendar.alarm",
            _minutes,
            lambda c, v: replace(c, alarm_minutes=v),
            lambda c: c.alarm_minutes,
            "alarm before planned meetings in calendars (15m, 1h, 0m)",
            _alarm_text,
        ),
        Key("mail.host", _host, _mail("host"), lambda c: c.mail.host, "SMTP server for `remind --email`"),
        Key("mail.port", _port, _mail("port"), lambda c: c.mail.port, "SMTP port (587 with STARTTLS, 465 TLS)"),
        Key("mail.user", _text, _mail("user"), lambda c: c.mail.user, "SMTP user name (the password is never here)"),
        Key("mail.from", _address, _mail("sender"), lambda c: c.mail.sender, "From: address of mentorkit's mail"),
        Key("mail.starttls", _bool, _mail("starttls"), lambda c: c.mail.starttls, "STARTTLS after connecting"),
        Key(
            "mentors.default_stage",
            _stage,
            lambda c, v: replace(c, default_stage=v),
            lambda c: c.default_stage,
            "stage of a mentor added without --stage",
        ),
        Key(
            "sync.url",
            _sync_url,
            lambda c, v: replace(c, sync_url=v),
            lambda c: c.sync_url,
            "the sync hub's URL (`mentorkit sync`)",
        ),
    )
}
SECTIONS = tuple(dict.fromkeys(key.section for key in KEYS.values()))


def key_named(name: str) -> Key:
    """The setting called `name` (dotted: hours.start); an unknown one is refused, listing the keys."""
    key = KEYS.get(name.strip().lower())
    if key is None:
        if name.strip().lower() == "mail.password":
            raise ConfigError(_NO_PASSWORD)
        raise ConfigError(f"unknown config key {_shown(name)}; the keys are: {', '.join(KEYS)}")
    return key


_NO_PASSWORD = (
    "mentorkit keeps no password in its config file; set MENTORKIT_SMTP_PASSWORD, or store it in "
    "the system keyring (see docs/reminders.md)"
)


# ---- reading ----------------------------------------------------------------------------------


def chosen_path() -> Path | None:
    """The file named by $MENTORKIT_CONFIG, or None when it is not set (the default place)."""
    value = os.environ.get(ENV_VAR)
    if value is None:
        return None
    if not value.strip():
        raise ConfigError(f"{ENV_VAR} is set but empty; unset it, or give the path of a config file")
    return Path(value).expanduser()


def config_path() -> Path:
    """The config file (it may not exist)."""
    chosen = chosen_path()
    if chosen is not None:
        return chosen
    return user_config_dir("mentorkit") / FILE_NAME


def user_config_dir(name: str | None = None) -> Path:
    """The user's config directory (platformdirs), or `name` in it. A relative XDG_CONFIG_HOME is
    invalid by the XDG spec and ignored (~/.config is used), as newer platformdirs do and 4.0 does
    not; `remind install` puts systemd units under the same directory."""
    import platformdirs

    value = os.environ.get("XDG_CONFIG_HOME", "").strip()
    if value and not os.path.isabs(value) and not sys.platform.startswith(("darwin", "win")):
        base = Path.home() / ".config"
        return base / name if name else base
    return Path(platformdirs.user_config_dir(name, appauthor=False) if name else platformdirs.user_config_dir())


def _read_table(path: Path) -> dict[str, Any]:
    """The file's TOML as a dict; {} when there is no file."""
    import tomllib

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except IsADirectoryError:
        raise ConfigError(f"the config file {path} is a directory; remove it or set {ENV_VAR} to a file") from None
    except OSError as exc:
        raise ConfigError(f"cannot read the config file {path}: {exc.strerror}; check its permissions") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(f"the config file {path} is not UTF-8 text (line {line}); save it as UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"the config file {path} is not valid TOML: {exc}; fix that line") from None


def _settings(table: dict[str, Any], path: Path) -> dict[str, Any]:
    """The file's values by dotted key, each read by its key (unknown or bad ones refused)."""
    values: dict[str, Any] = {}
    for section, content in table.items():
        if section not in SECTIONS:
            raise ConfigError(
                f"unknown section [{section}] in the config file {path}; the sections are: {', '.join(SECTIONS)}"
            )
        if not isinstance(content, dict):
            raise ConfigError(f"{section} in the config file {path} must be a section: [{section}]")
        for name, value in content.items():
            dotted = f"{section}.{name}"
            if dotted == "mail.password":
                raise ConfigError(f"{path}: {_NO_PASSWORD}")
            if dotted not in KEYS:
                known = ", ".join(k.short for k in KEYS.values() if k.section == section)
                raise ConfigError(f"unknown config key {dotted} in {path}; the keys of [{section}] are: {known}")
            values[dotted] = _parsed(KEYS[dotted], value, path)
    return values


def _parsed(key: Key, value: Any, path: Path | None) -> Any:
    try:
        return key.parse(value)
    except ValueError as exc:
        where = f" in {path}" if path is not None else ""
        raise ConfigError(f"config key {key.name}{where} {exc}") from None


def _build(values: dict[str, Any], path: Path) -> Config:
    config = Config()
    for name, value in values.items():
        config = KEYS[name].apply(config, value)
    if config.hours_end <= config.hours_start:
        raise ConfigError(
            f"config key hours.end in {path} must be later than hours.start "
            f"({_hhmm(config.hours_start)}); fix one of them"
        )
    return config


def load(path: Path | None = None) -> Config:
    """The settings: the file's values over the defaults (all defaults when there is no file)."""
    path = path or config_path()
    return _build(_settings(_read_table(path), path), path)


@dataclass(frozen=True)
class Setting:
    key: str
    value: Any  # as it is written in the file: "08:00", "15m", 587, true; None when not set
    default: bool  # not set in the file
    help: str


def settings(path: Path | None = None) -> list[Setting]:
    """Every key with its value and whether it is the default (not set in the file)."""
    path = path or config_path()
    values = _settings(_read_table(path), path)
    config = _build(values, path)
    result = []
    for key in KEYS.values():
        value = key.get(config)
        result.append(Setting(key.name, None if value is None else key.stored(value), key.name not in values, key.help))
    return result


# ---- writing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    path: Path
    key: str
    value: Any  # as written; None for unset
    rewritten: bool  # the whole file was written anew (its comments were not kept)
    changed: bool


def set_value(name: str, text: str, path: Path | None = None) -> Written:
    """Set one key (its value as typed on the command line) in the config file."""
    key = key_named(name)
    value = _parsed(key, text, None)
    stored = None if value is None else key.stored(value)
    return _change(key, stored, path or config_path())


def unset_value(name: str, path: Path | None = None) -> Written:
    """Remove one key from the config file, so it takes its default again."""
    return _change(key_named(name), None, path or config_path())


def _change(key: Key, stored: Any, path: Path) -> Written:
    if path.is_symlink():
        raise ConfigError(
            f"the config file {path} is a symbolic link; mentorkit does not write through it. "
            "Edit the file it points to, or replace the link with a file"
        )
    old_text = _read_text(path)
    table = _read_table(path)
    _settings(table, path)  # a file with an unknown key or a bad value is fixed by hand first
    wanted = {section: dict(content) for section, content in table.items()}
    if stored is None:
        wanted.get(key.section, {}).pop(key.short, None)
        if wanted.get(key.section) == {} and table.get(key.section) != {}:
            del wanted[key.section]  # its last key: the section goes too
    else:
        wanted.setdefault(key.section, {})[key.short] = stored
    _build(_settings(wanted, path), path)  # refuses, say, hours.end before hours.start
    if wanted == table:
        return Written(path, key.name, stored, rewritten=False, changed=False)
    new_text = _edited(old_text, key, stored)
    rewritten = new_text is None or _toml(new_text) != wanted
    if rewritten:
        new_text = render(wanted)
    assert new_text is not None
    _write_private(path, new_text)
    return Written(path, key.name, stored, rewritten=rewritten and bool(old_text.strip()), changed=True)


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError):
        return ""  # _read_table names the problem


def _toml(text: str) -> dict[str, Any] | None:
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


_HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_-]+)\s*\]\s*(#.*)?$")
_ANY_HEADER = re.compile(r"^\s*\[")


def _edited(text: str, key: Key, stored: Any) -> str | None:
    """`text` with just the key's line changed, added or removed; None when its layout is not one
    line per key under `[section]` headers (the caller then checks the result and falls back).
    A changed line keeps its end-of-line comment; the file keeps its line ends (CRLF or LF)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if (m := _HEADER.match(line)) and m[1] == key.section), None)
    new_line = None if stored is None else f"{key.short} = {value_text(stored)}"
    if start is None:
        if new_line is None:
            return None
        while lines and not lines[-1].strip():
            lines.pop()
        return newline.join([*lines, *([""] if lines else []), f"[{key.section}]", new_line]) + newline
    end = next((i for i in range(start + 1, len(lines)) if _ANY_HEADER.match(lines[i])), len(lines))
    pattern = re.compile(rf"^\s*(?:{re.escape(key.short)}|\"{re.escape(key.short)}\")\s*=")
    found = next((i for i in range(start + 1, end) if pattern.match(lines[i])), None)
    if found is not None:
        lines[found : found + 1] = [] if new_line is None else [new_line + _comment(lines[found])]
        if new_line is None and not any(line.strip() for line in lines[start + 1 : end - 1]):
            del lines[start : end - 1]  # the section is empty now: its header goes too
            while lines and not lines[-1].strip():
                lines.pop()
    elif new_line is not None:
        last = end
        while last > start + 1 and not lines[last - 1].strip():
            last -= 1
        lines.insert(last, new_line)
    else:
        return None
    return newline.join(lines) + newline


def _comment(line: str) -> str:
    """The end-of-line comment of a `key = value` line with the space before it ("" if none): it
    starts at the first `#` before which the line is a whole TOML key and value."""
    for at in (i for i, char in enumerate(line) if char == "#"):
        if _toml(line[:at]):
            head = line[:at].rstrip()
            return line[len(head) :]
    return ""


def value_text(value: Any) -> str:
    """A TOML value: a basic string (escaped), an integer or a boolean."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        escaped = []
        for char in value:
            if char in '"\\':
                escaped.append("\\" + char)
            elif ord(char) < 32 or ord(char) == 127:
                escaped.append(f"\\u{ord(char):04X}")
            else:
                escaped.append(char)
        return '"' + "".join(escaped) + '"'
    raise TypeError(f"no TOML form for {type(value).__name__}")


def render(table: dict[str, dict[str, Any]]) -> str:
    """The file in mentorkit's own layout: sections and keys in the documented order."""
    parts = ["# mentorkit settings: `mentorkit config show` lists every key; docs/reminders.md explains them."]
    for section in SECTIONS:
        content = table.get(section) or {}
        if not content:
            continue
        parts.append(f"\n[{section}]")
        for key in KEYS.values():
            if key.section == section and key.short in content:
                parts.append(f"{key.short} = {value_text(content[key.short])}")
    return "\n".join(parts) + "\n"


def _write_private(path: Path, text: str) -> None:
    """Write the file whole or not at all, 0600 in a directory made 0700 if it was missing."""
    from mentorkit.exchange.atomic import atomic_text
    from mentorkit.store.files import make_private_dirs

    make_private_dirs(path.parent, "the config directory", f"{ENV_VAR}=PATH")
    if path.exists() and not path.is_file():
        raise ConfigError(f"the config file {path} is not a regular file; remove it or set {ENV_VAR} to a file")
    with atomic_text(path) as handle:
        handle.write(text)
