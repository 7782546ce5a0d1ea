"""No stored text reaches a terminal raw (issue 13 item 2).

Every text field of every kind of record is filled with hostile text (escape sequences, OSC 8
links, OSC 52 clipboard writes, every C0 and C1 control, DEL, bidi overrides, emoji, CJK), then
every command that prints stored text runs, and so do the write commands whose messages name
records. What they write to stdout and stderr must hold no ESC, no C1 control (CSI U+009B, OSC
U+009D among them) and no other C0 control than the line ends and the tabs of a draft. The check
is on the characters written: in UTF-8 a byte 0x9B is part of many letters (ś is C5 9B); what a
terminal would act on is the character U+009B, encoded C2 9B.
"""

from __future__ import annotations

import re
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import invoke

CONTROLS = [chr(c) for c in [*range(1, 32), 127, *range(0x80, 0xA0)]]
ATTACKS = [
    "Evil\x1b[31mRED\x1b]8;;http://evil.example/\x1b\\CLICK\x1b]8;;\x1b\\",
    "\x1b]52;c;ZWNobyBwd25lZA==\x07",  # OSC 52: write the clipboard
    "\x9b31mC1 CSI\x9d0;title\x9c",
    "\x1b",  # a lone ESC, and one at the very end of a cell
    "line\rback\x08\x08over\x7f",
    "\u202eevil\u2066",
    "👩🏽\u200d🔬 東京 e\u0301 soft\u00adhyphen\ttab",
]
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # all but TAB and LF (CR is never written)
HOSTILE = st.lists(
    st.one_of(st.sampled_from(CONTROLS), st.sampled_from(ATTACKS), st.text(max_size=8)), min_size=1, max_size=12
).map(lambda parts: "".join(parts)[:150])  # names and other fields have a 200-character limit
_stores = count()


def _no_nul(text: str) -> str:
    return text.replace("\x00", "")


NAME_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _name(text: str) -> str:
    """Names refuse control characters when typed; the store of an older version (or a file
    written by hand) may still hold them, so `_hostile_names` puts them back afterwards."""
    return NAME_UNSAFE.sub("", text)


def _hostile_names(db: Path, x: str) -> None:
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE mentor SET name = ? WHERE id = 1", ("A" + x,))
        conn.execute("UPDATE mentor SET name = ? WHERE name = ?", ("P" + x, ("P" + _name(x)).strip()))
        conn.execute("UPDATE mgroup SET name = ?", ("G" + x,))
        conn.execute("UPDATE profile SET name = ?", ("M" + x,))
    conn.close()


def check(outputs: list[tuple[tuple[str, ...], Any]]) -> None:
    for args, result in outputs:
        for stream in (result.stdout, result.stderr):
            found = FORBIDDEN.search(stream)
            assert found is None, (args, repr(found.group()) if found else "", stream[:2000])
        assert "\t" not in result.stderr, args


def run_everything(db: Path, text: str) -> list[tuple[tuple[str, ...], Any]]:
    x = _no_nul(text)
    short = x[:30]  # tags, channels and arena names have limits of their own
    email = "a" + "".join(c for c in short if c.isalnum()) + "@b.example"  # addresses follow is_email's rule
    outputs: list[tuple[tuple[str, ...], Any]] = []

    def run(*args: str, must: bool = True) -> Any:
        result = invoke("--db", str(db), *args)
        outputs.append((args, result))
        if must:
            assert result.exit_code == 0, (args, result.stderr)
        return result

    # a letter first where a field may not be blank (str.strip() takes \x1c-\x1f as spaces)
    run("profile", "set", "--name", "M" + _name(x), "--role", x, "--institution", x, "--story", "S" + x)
    run("profile", "set", "--goal", "research=G" + x)
    run("arena", "add", "B" + _name(short), "--description", x)
    run(
        "add-mentor",
        "A" + _name(x),
        "--arena",
        "research",
        "--arena",
        "B" + _name(short),
        "--email",
        email,
        "--institution",
        x,
        "--location",
        x,
        "--source",
        x,
        "--tag",
        "T" + short,
        "--channel",
        "C" + short,
        "--note",
        x,
        "--stage",
        "active",
        "--cadence",
        "monthly",
    )
    run("log", "1", "--when", "yesterday 10:00", "--notes", "zebra " + x, "--agenda", x)
    run("log", "1", "--notes", x, "--advice", "zebra " + x, "--followup", "F" + x, "--due", "tomorrow")
    run("plan", "1", "--when", "tomorrow 10:00", "--agenda", x)
    run("followup", "add", "1", "zebra " + x, "--owner", "mentor")
    run("advice", "rate", "1", "helpful", "--note", x)
    run("flag", "1", "R" + x, "--kind", "other")
    run(
        "group", "add", "G" + _name(x), "--member", "1", "--member", "P" + _name(x), "--note", x, "--cadence", "monthly"
    )
    _hostile_names(db, x)
    run("pitch", "--arena", "research", "--to", "1", "--request", "Q" + x, "--save")
    run("goal", "add", "research", "G" + x, "--measure", x, "--mentor", "1")
    run("goal", "milestone", "add", "2", "M" + x, "--by", "yesterday")
    run("agreement", "set", "1", "--text", x, "--channel", "C" + short)
    for args in (
        ["mentors"],
        ["show", "1"],
        ["board"],
        ["followups", "--all"],
        ["remind", "--always"],
        ["meetings"],
        ["pitches"],
        ["pitches", "show", "1"],
        ["advice"],
        ["flags", "--all"],
        ["groups"],
        ["arenas"],
        ["search", "zebra"],
        ["review"],
        ["profile", "show"],
        ["summary", "1"],
        ["summary", "3"],
        ["followup", "done", "1"],
        ["meetings", "mark", "3", "cancelled"],
        ["stage", "1", "paused"],
        ["edit", "1", "--note", x],
        ["goals"],
        ["goal", "show", "2"],
        ["agreement", "show", "1"],
        ["agreement", "draft", "1"],
        ["idp"],
        ["pitch", "--goal", "2"],
    ):
        run(*args)
    run("show", x, must=False)  # an error line that may quote what was typed
    run("end", "1", "--reason", "E" + x)
    run("mentors")
    return outputs


@pytest.mark.parametrize("attack", ATTACKS)
def test_each_known_attack_is_shown_escaped(tmp_path: Path, attack: str) -> None:
    outputs = run_everything(tmp_path / "s.db", attack)
    check(outputs)
    shown = "".join(result.stdout for _, result in outputs)
    if "\x1b" in attack:
        assert "\\x1b" in shown  # visible, not dropped


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=HOSTILE)
@example(text="".join(CONTROLS))
def test_random_text_with_every_control_never_reaches_the_terminal_raw(tmp_path: Path, text: str) -> None:
    check(run_everything(tmp_path / f"s{next(_stores)}.db", text))
