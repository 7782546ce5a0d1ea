"""Every table, field list and report a person reads, drawn at 80 and 120 columns, as golden files.

The store is the demo board at a frozen clock plus records that are hard to lay out: a CJK name,
emoji with skin tones and joiners, a soft hyphen, combining marks, tabs and long notes. Each
command's stdout (no colours: NO_COLOR is set for every test) must equal
tests/golden/tables/<name>-<columns>.txt. After an intended change to the output, regenerate them
with `MENTORKIT_UPDATE_GOLDEN=1 pytest tests/test_golden_tables.py` and review the diff (and
look at them in a real terminal: a golden file checks the layout stays put, not that it is right).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine

from mentorkit.cli.text import width

GOLDEN = Path(__file__).parent / "golden" / "tables"
NOW = datetime(2026, 12, 7, 17, 0, tzinfo=UTC)  # Mon 7 Dec 2026, 09:00 in Los Angeles (the demo's zone)

COMMANDS = {
    "mentors": ["mentors"],
    "mentors-all": ["mentors", "--all"],
    "show-teresa": ["show", "teresa"],
    "show-wang": ["show", "王"],
    "board": ["board"],
    "followups": ["followups"],
    "followups-all": ["followups", "--all"],
    "meetings": ["meetings"],
    "pitches": ["pitches"],
    "advice": ["advice"],
    "flags": ["flags", "--all"],
    "groups": ["groups"],
    "arenas": ["arenas"],
    "search": ["search", "draft"],
    "review": ["review"],
    "profile": ["profile", "show"],
}


@pytest.fixture(autouse=True)
def a_known_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Widths of emoji sequences depend on the terminal named by TERM/TERM_PROGRAM (cli/text.py)."""
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("TERM_PROGRAM", raising=False)


@pytest.fixture
def hard_board(ok: Callable[..., Any]) -> Iterator[Callable[..., Any]]:
    with time_machine.travel(NOW, tick=False):
        ok("demo")
        ok(
            "add-mentor",
            "王小明 Wang Xiaoming",
            "--arena",
            "research",
            "--timezone",
            "Asia/Shanghai",
            "--stage",
            "active",
            "--cadence",
            "FREQ=MONTHLY;BYDAY=1TU",
            "--institution",
            "北京大学 Peking University",
            "--remote",
            "--note",
            "Met at the 東京 symposium.\tPrefers WeChat; 👍🏽 to emoji in messages.",
        )
        ok(
            "add-mentor",
            "Zoë Ångström-Nu\u0301n\u0303ez 👩🏽‍🔬",
            "--arena",
            "teaching",
            "--stage",
            "prospect",
            "--institution",
            "Uni\u00adversität Zürich",
        )
        ok(
            "log",
            "王",
            "--when",
            "2026-12-01 19:00",
            "--notes",
            "Walked through aims 1–3.\tAim 2 needs a power calculation; 研究计划 draft by Friday. "
            "She suggested the 👨‍👩‍👧 family-caregiver angle for aim 3 and three reviewers to ask, "
            "each with a line on why they fit the study section.",
            "--advice",
            "Write the aims page for a reviewer who reads it in ninety seconds: 一页 only",
            "--followup",
            "Send 王老师 the revised aims page ✍🏿 with the power calculation attached",
            "--due",
            "2026-12-09",
        )
        ok("flag", "王", "Asked to be senior author on my K23 paper 📄", "--kind", "competition")
        ok("profile", "set", "--goal", "teaching=A teaching portfolio\tthat a 教授 committee reads in one sitting")
        ok(
            "pitch",
            "--arena",
            "teaching",
            "--to",
            "Zoë",
            "--request",
            "a 20-minute call 📞 about 教学 portfolios",
            "--save",
        )
        yield ok


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("name", COMMANDS)
def test_golden_table(hard_board: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, name: str, columns: int) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    with time_machine.travel(NOW, tick=False):
        out = hard_board(*COMMANDS[name]).stdout
    check_golden(f"{name}-{columns}.txt", out, columns)


@pytest.mark.parametrize("columns", [80, 120])
def test_golden_import_summary(
    hard_board: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, columns: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    from mentorkit.store.db import open_store

    open_store(tmp_path / "other.db").close()  # a dry run needs a store to compare with
    with time_machine.travel(NOW, tick=False):
        hard_board("export", "--format", "json", "-o", str(tmp_path / "board.json"))
        out = hard_board("--db", str(tmp_path / "other.db"), "import", str(tmp_path / "board.json"), "--dry-run").stdout
    check_golden(f"import-{columns}.txt", out, columns)


def check_golden(name: str, out: str, columns: int) -> None:
    for line in out.splitlines():
        assert width(line) <= columns, (name, line)
    path = GOLDEN / name
    if os.environ.get("MENTORKIT_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(out, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with MENTORKIT_UPDATE_GOLDEN=1"
    assert out == path.read_text(encoding="utf-8")
