"""The design that keeps mentorkit fast (docs/performance.md), checked without a clock.

The timings themselves are measured by benchmarks/run.py, not here. These tests guard what makes
them possible: what each path imports, that hot queries use indexes, that commands are built
only when used with the same help and values Typer would give, and that `show` stays the same
size as a history grows.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

HEAVY = ("sqlalchemy", "sqlmodel", "jinja2", "pydantic", "rich", "icalendar", "vobject", "psycopg", "alembic")
"""Libraries no read command imports; only `sync` imports psycopg and alembic (with SQLAlchemy)."""

RUNNER = """
import contextlib, io, json, sys
sys.argv = ["mentorkit", *json.loads(sys.argv[1])]
code = 0
with contextlib.redirect_stdout(io.StringIO()) as out:
    try:
        from mentorkit.cli import main
        main()
    except SystemExit as exc:
        code = exc.code
print(json.dumps({"code": code, "out": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def run_fresh(args: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run mentorkit in a new interpreter; return its exit code, output and imported modules."""
    environment = {**os.environ, **(env or {})}
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, json.dumps(args)], env=environment, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def imported(result: dict[str, Any], *names: str) -> list[str]:
    return [m for m in result["modules"] if m.split(".")[0] in names]


def test_help_imports_no_heavy_library_and_does_not_open_the_store() -> None:
    result = run_fresh(["--help"])
    assert result["code"] == 0 and "followups" in result["out"]
    assert imported(result, *HEAVY, "sqlite3", "platformdirs") == []
    assert not [m for m in result["modules"] if m.startswith("mentorkit.store") or m.startswith("mentorkit.domain")]


@pytest.mark.parametrize(
    "env",
    [
        {"_MENTORKIT_COMPLETE": "complete_bash", "COMP_WORDS": "mentorkit fo", "COMP_CWORD": "1"},
        {"_MENTORKIT_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "mentorkit fo"},
        {
            "_MENTORKIT_COMPLETE": "complete_fish",
            "_TYPER_COMPLETE_ARGS": "mentorkit fo",
            "_TYPER_COMPLETE_FISH_ACTION": "get-args",
        },
    ],
    ids=["bash", "zsh", "fish"],
)
def test_completion_lists_commands_without_heavy_imports_or_the_store(env: dict[str, str]) -> None:
    result = run_fresh([], env)
    assert "followups" in result["out"] and "followup" in result["out"]
    assert "add-mentor" not in result["out"]
    assert imported(result, *HEAVY, "sqlite3", "platformdirs") == []  # zsh and fish: no Rich (cli/completion.py)


@pytest.fixture
def demo_store(ok: Callable[..., Any], db_path: Path) -> Path:
    ok("demo")
    return db_path


@pytest.mark.parametrize(
    "args", [["followups"], ["board"], ["show", "1"], ["mentors"], ["followups", "--json"], ["review"]]
)
def test_read_commands_draw_without_rich_pydantic_or_the_orm(demo_store: Path, args: list[str]) -> None:
    result = run_fresh(args, {"MENTORKIT_DB": str(demo_store)})
    assert result["code"] == 0 and result["out"].strip()
    assert imported(result, *HEAVY) == []
    assert imported(result, "platformdirs") == []  # the store is named: no need to look for a default
    assert imported(result, "hashlib") == []  # the store's check stamp is named without OpenSSL (3 ms)


def test_the_check_stamp_is_named_by_the_stores_real_path(tmp_path: Path) -> None:
    from mentorkit.store.check import stamp_path

    one, other = tmp_path / "one.db", tmp_path / "other.db"
    link = tmp_path / "link.db"
    one.touch()
    link.symlink_to(one)
    assert stamp_path(one) == stamp_path(link) == stamp_path(one)
    assert stamp_path(one) != stamp_path(other)
    assert len(stamp_path(one).name) == len("fnv-") + 16


def test_root_help_lists_every_command_with_the_help_typer_would_show() -> None:
    """Help and completion list commands from stand-ins (name and help texts, nothing built); a
    stand-in must say what the built command says."""
    import typer

    from mentorkit.cli import app

    group = typer.main.get_command(app)
    names = list(group.list_commands(None))  # type: ignore[arg-type]
    assert len(names) > 30
    for name in names:
        stand_in = group.lazy.stand_in(name)  # type: ignore[attr-defined]
        built = group.commands[name]  # type: ignore[attr-defined]
        for limit in (30, 45, 60, 200):
            assert stand_in.get_short_help_str(limit) == built.get_short_help_str(limit), name
        assert stand_in.hidden == built.hidden


def test_plain_values_are_what_typers_coercion_gives() -> None:
    """Values of plain parameters skip Pydantic; anything unusual still goes through Typer."""
    import typer
    from typer.core import TyperArgument, TyperOption

    from mentorkit.cli import app
    from mentorkit.cli.lazy import PlainArgument, PlainOption

    group = typer.main.get_command(app)
    log = group.commands["log"]  # type: ignore[attr-defined]
    root = group.make_context("mentorkit", ["log"], resilient_parsing=True)
    ctx = log.make_context("log", [], parent=root, resilient_parsing=True)
    params = {p.name: p for p in log.get_params(ctx)}
    cases: dict[str, list[Any]] = {
        "minutes": ["42", "-3", "007", "0", "4.0", " 5", "abc", "", "1_000", "９", None, 12],
        "notes": ["plain", "", "ünïcode", "-", None],
        "advice": [("a", "b"), (), None],
        "mentor": ["Rosa", "", None],
        "help": [False, True],
    }
    for name, values in cases.items():
        param = params[name]
        assert type(param) in (PlainOption, PlainArgument), name
        typers = TyperOption if isinstance(param, TyperOption) else TyperArgument
        for value in values:
            expected: Any
            try:
                expected = typers.process_value(param, ctx, value)
            except Exception as exc:
                expected = (type(exc), str(exc))
            try:
                got: Any = param.process_value(ctx, value)
            except Exception as exc:
                got = (type(exc), str(exc))
            assert got == expected and type(got) is type(expected), (name, value)


def test_a_command_runs_without_importing_pydantic(demo_store: Path) -> None:
    result = run_fresh(["meetings", "--limit", "3", "--json"], {"MENTORKIT_DB": str(demo_store)})
    assert result["code"] == 0 and len(json.loads(result["out"])) >= 3
    assert imported(result, "pydantic") == []


# ---- query plans -------------------------------------------------------------------------

HISTORY_TABLES = ("meeting", "followup", "advice", "stage_change", "flag")


def plans_of(conn: sqlite3.Connection, run: Callable[[], object]) -> dict[str, list[str]]:
    """Every SELECT that `run` sends to SQLite, with its query plan."""
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        run()
    finally:
        conn.set_trace_callback(None)
    plans = {}
    for sql in statements:
        if sql.lstrip().upper().startswith("SELECT"):
            plans[sql] = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
    return plans


def scans_of_history(plans: dict[str, list[str]]) -> list[tuple[str, str]]:
    """Plan steps that read a history table whole (a SCAN, with or without an index)."""
    return [
        (sql, step)
        for sql, steps in plans.items()
        for step in steps
        if step.startswith("SCAN") and step.split()[1] in HISTORY_TABLES
    ]


def test_hot_queries_search_the_history_through_indexes(demo_store: Path) -> None:
    from mentorkit.clock import utcnow
    from mentorkit.domain.board import build_board
    from mentorkit.domain.detail import mentor_detail
    from mentorkit.domain.followups import due_items
    from mentorkit.domain.mentors import list_mentors, resolve_mentor
    from mentorkit.domain.profile import get_profile
    from mentorkit.store.db import open_store

    with open_store(demo_store) as store:
        conn = store.conn
        zone = get_profile(conn).zone
        now = utcnow()
        (group_id,) = conn.execute("SELECT id FROM mgroup").fetchone()
        hot: dict[str, Callable[[], object]] = {
            "followups": lambda: due_items(conn, now, zone),
            "followups --all": lambda: due_items(conn, now, zone, show_all=True),
            "board": lambda: build_board(conn),
            "mentors": lambda: list_mentors(conn),
            "show": lambda: mentor_detail(conn, now, zone, resolve_mentor(conn, "Teresa")),
            # a peer's last contact counts their groups' meetings: one index search per group
            "show a peer": lambda: mentor_detail(conn, now, zone, resolve_mentor(conn, "Ana Souza")),
            "followups --group": lambda: due_items(conn, now, zone, group_id=group_id),
        }
        for name, run in hot.items():
            plans = plans_of(conn, run)
            assert plans, name
            assert scans_of_history(plans) == [], name
            uses = " ".join(step for steps in plans.values() for step in steps)
            assert "USING INDEX" in uses or "USING COVERING INDEX" in uses, name


def test_summaries_owed_are_found_through_their_own_index(demo_store: Path) -> None:
    """Most held meetings have their summary sent: `followups` (its list and its footer count of
    older ones) must not read every held meeting to find the few that do not (migration 8)."""
    from mentorkit.clock import utcnow
    from mentorkit.domain.followups import due_items, older_summaries
    from mentorkit.domain.profile import get_profile
    from mentorkit.store.db import open_store

    with open_store(demo_store) as store:
        conn = store.conn
        zone = get_profile(conn).zone
        now = utcnow()
        plans = plans_of(conn, lambda: (due_items(conn, now, zone), older_summaries(conn, now)))
    owed = [steps for sql, steps in plans.items() if "summary_sent_at IS NULL" in sql]
    assert len(owed) == 2
    for steps in owed:
        assert any("meeting_summary_owed (status=? AND summary_sent_at=? AND starts_at" in s for s in steps), steps
    (count,) = [steps for sql, steps in plans.items() if "summary_sent_at IS NULL" in sql and "count(*)" in sql]
    assert any("USING COVERING INDEX meeting_summary_owed" in s for s in count), count  # mode in the index (14)


def test_review_reads_the_history_only_within_the_period(demo_store: Path) -> None:
    """All-time counts come from `mentor_tally`; meetings, follow-ups and advice are searched
    through indexes bounded by mentor and period. Stage changes and flags are read whole: they
    grow with the number of relationships, not with the history."""
    from mentorkit.clock import utcnow
    from mentorkit.domain.profile import get_profile
    from mentorkit.domain.review import build_review
    from mentorkit.store.db import open_store

    with open_store(demo_store) as store:
        conn = store.conn
        plans = plans_of(conn, lambda: build_review(conn, utcnow(), get_profile(conn).zone))
    scans = [(sql, step) for sql, step in scans_of_history(plans) if step.split()[1] not in ("stage_change", "flag")]
    assert scans == []
    late = [steps for sql, steps in plans.items() if "FROM followup" in sql and "AND due_on <" in sql]
    assert late and all(any("followup_open_due" in step for step in steps) for steps in late)
    counts = [steps for sql, steps in plans.items() if sql.startswith("SELECT status, mode, count(*) FROM meeting")]
    assert counts and all(any("COVERING INDEX meeting_mentor_start" in step for step in s) for s in counts)
    assert any("mentor_tally" in sql for sql in plans)
    assert not any("FROM advice" in sql and "given_on >=" not in sql for sql in plans)  # no all-time read


def test_the_followups_list_reads_open_items_by_status_and_date(demo_store: Path) -> None:
    from mentorkit.clock import utcnow
    from mentorkit.domain.followups import due_items
    from mentorkit.domain.profile import get_profile
    from mentorkit.store.db import open_store

    with open_store(demo_store) as store:
        plans = plans_of(store.conn, lambda: due_items(store.conn, utcnow(), get_profile(store.conn).zone))
    steps = [step for sql, s in plans.items() if "FROM followup" in sql for step in s]
    assert any("followup_status_due" in step for step in steps), steps
    checkins = [s for sql, s in plans.items() if "max(starts_at)" in sql]
    assert checkins and all(
        any("COVERING INDEX meeting_mentor_start" in step or "meeting_group_start" in step for step in s)
        for s in checkins
    )


# ---- sizes that do not grow with the history --------------------------------------------


def test_show_lists_the_latest_ten_and_counts_the_rest(ok: Callable[..., Any]) -> None:
    ok("add-mentor", "Dr. Long History", "--stage", "active", "--arena", "research")
    for n in range(14):
        ok("followup", "add", "Long", f"Task {n:02d}", "--due", f"2030-01-{n + 1:02d}")
        ok("advice", "add", "Long", f"Advice {n:02d}")
    detail = ok("show", "Long", "--json").json()
    assert detail["followups_total"] == 14 and detail["advice_total"] == 14
    assert [f["text"] for f in detail["followups"]] == [f"Task {n:02d}" for n in range(10)]  # due soonest
    assert len(detail["advice"]) == 10
    human = ok("show", "Long").stdout
    assert "Open follow-ups (10 of 14)" in human and "Advice (10 of 14)" in human
    assert "The 10 due soonest; all: mentorkit followups --all --mentor 1" in human
    assert "The 10 latest; all: mentorkit advice --mentor 1" in human


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet=st.characters(), max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=80, deadline=None)
@given(items=st.lists(JSON_VALUES, max_size=7), part=st.integers(min_value=1, max_value=3))
def test_lists_are_written_in_parts_as_json_dumps_would(items: list[Any], part: int) -> None:
    import contextlib
    import io
    from unittest import mock

    from mentorkit.cli import common

    whole = json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    for given_as in (items, iter(items)):  # an iterator is read as it is written
        out = io.StringIO()
        with contextlib.redirect_stdout(out), mock.patch.object(common, "JSON_PART", part):
            common.emit_json(given_as)
        assert out.getvalue() == whole


def test_the_morning_list_of_a_store_without_goals_loads_only_what_it_lists(
    ok: Callable[..., Any], db_path: Path
) -> None:
    """`followups` reads the profile's zone alone and loads the goal and agreement code only
    when the store holds an open milestone or a dated agreement (docs/performance.md)."""
    ok("add-mentor", "Rosa Martinez", "--stage", "active", "--cadence", "first tuesday")
    ok("followup", "add", "Rosa", "send the aims page", "--due", "today")
    env = {"MENTORKIT_DB": str(db_path)}
    result = run_fresh(["followups"], env)
    assert result["code"] == 0 and "send the aims page" in result["out"]
    lazy = {"mentorkit.domain.goals", "mentorkit.domain.agreements", "mentorkit.domain.profile"}
    assert lazy.union({"mentorkit.domain.meetings"}).isdisjoint(result["modules"])
    ok("goal", "add", "research", "An R01 by 2028", "--by", "2028-06-30")
    ok("goal", "milestone", "add", "1", "aims page", "--by", "today")
    result = run_fresh(["followups"], env)
    assert "aims page (milestone" in result["out"]
    assert lazy.intersection(result["modules"]) == {"mentorkit.domain.goals"}
