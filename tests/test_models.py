"""The SQLModel classes and the migrated schema describe the same tables, and share data.

The store's schema is made by migrations (explicit SQL); `store/models.py` describes it again for
code that validates whole records. These tests compare the two column by column at migration head,
so a migration that changes a table without its model (or the reverse) fails here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError
from sqlalchemy import Table, exc
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlmodel import Session, SQLModel, select

from mentorkit.domain.mentors import MentorFields, add_mentor, get_mentor
from mentorkit.store import migrations, models
from mentorkit.store.db import connect, open_store

NOW = datetime(2026, 3, 9, 14, 30, 5, tzinfo=UTC)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "models" / "mentorkit.db"
    open_store(path).close()
    return path


@pytest.fixture
def conn(store_path: Path) -> Iterator[sqlite3.Connection]:
    connection = connect(store_path)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def head_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    """One freshly migrated store, read (never written) by the schema comparisons."""
    path = tmp_path_factory.mktemp("head") / "mentorkit.db"
    open_store(path).close()
    connection = connect(path, readonly=True)
    yield connection
    connection.close()


def affinity(declared: str) -> str:
    """SQLite's type affinity of a declared column type (the rules of datatype3.html §3.1)."""
    text = declared.upper()
    if "INT" in text:
        return "INTEGER"
    if any(word in text for word in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if "BLOB" in text or not text:
        return "BLOB"
    if any(word in text for word in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


def model_tables() -> dict[str, Table]:
    return {m.__tablename__: m.__table__ for m in models.MODELS}  # type: ignore[misc]


def store_tables(conn: sqlite3.Connection) -> set[str]:
    """Ordinary tables of the store, without bookkeeping, FTS virtual tables and their shadows."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    virtual = {r["name"] for r in rows if r["sql"].upper().startswith("CREATE VIRTUAL TABLE")}
    return {
        r["name"]
        for r in rows
        if not r["name"].startswith("sqlite_")
        and r["name"] != "schema_migrations"
        and r["name"] not in virtual
        and not any(r["name"].startswith(f"{v}_") for v in virtual)
    }


def test_the_store_is_at_head_and_every_table_has_a_model(
    head_schema: sqlite3.Connection,
) -> None:
    assert migrations.current_version(head_schema) == migrations.head()
    assert store_tables(head_schema) == set(model_tables())
    assert set(model_tables()) == set(SQLModel.metadata.tables)


@pytest.mark.parametrize("model", models.MODELS, ids=lambda m: m.__tablename__)
def test_columns_match_the_migrated_schema(head_schema: sqlite3.Connection, model: type[SQLModel]) -> None:
    conn = head_schema
    table: Table = model.__table__  # type: ignore[attr-defined]
    info = conn.execute(f"PRAGMA table_info({table.name})").fetchall()
    assert info, f"no table {table.name} in the store"
    assert [r["name"] for r in info] == [c.name for c in table.columns]
    dialect = sqlite_dialect.dialect()
    for row in info:
        column = table.columns[row["name"]]
        where = f"{table.name}.{row['name']}"
        declared = column.type.compile(dialect=dialect)
        assert affinity(declared) == affinity(row["type"]), (where, declared, row["type"])
        required = bool(row["notnull"]) or row["pk"] > 0
        assert (not column.nullable) == required, where
    store_pk = [r["name"] for r in sorted(info, key=lambda r: r["pk"]) if r["pk"]]
    assert [c.name for c in table.primary_key.columns] == store_pk


@pytest.mark.parametrize("model", models.MODELS, ids=lambda m: m.__tablename__)
def test_foreign_keys_and_unique_columns_match(head_schema: sqlite3.Connection, model: type[SQLModel]) -> None:
    conn = head_schema
    table: Table = model.__table__  # type: ignore[attr-defined]
    store_fks = {
        (r["from"], r["table"], r["to"], r["on_delete"]) for r in conn.execute(f"PRAGMA foreign_key_list({table.name})")
    }
    model_fks = {
        (fk.parent.name, fk.column.table.name, fk.column.name, fk.ondelete or "NO ACTION") for fk in table.foreign_keys
    }
    assert model_fks == store_fks

    store_unique = set()
    for index in conn.execute(f"PRAGMA index_list({table.name})"):
        if index["origin"] == "u":
            names = conn.execute(f"PRAGMA index_info({index['name']})").fetchall()
            store_unique.add(frozenset(r["name"] for r in names))
    model_unique = {frozenset([c.name]) for c in table.columns if c.unique}
    assert model_unique == store_unique


def test_a_record_written_through_a_session_reads_back_in_the_domain(
    store_path: Path, conn: sqlite3.Connection
) -> None:
    tokyo = datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    with Session(models.engine(store_path)) as session:
        research = session.exec(select(models.Arena).where(models.Arena.name == "RESEARCH")).one()
        mentor = models.Mentor(
            name="Aiko Tanaka",
            kind="peer",
            timezone="Asia/Tokyo",
            is_local=False,
            stage="pilot",
            stage_changed_at=tokyo,
            pilot_review_on=date(2026, 5, 5),
            channels="video,text",
            notes="Née « Tanaka » — ☕",
            created_at=NOW,
            updated_at=NOW,
        )
        session.add(mentor)
        session.flush()
        assert mentor.id is not None and research.id is not None
        session.add(models.MentorArena(mentor_id=mentor.id, arena_id=research.id))
        session.commit()
        mentor_id = mentor.id

    raw = conn.execute(
        "SELECT stage_changed_at, created_at, pilot_review_on, is_local FROM mentor WHERE id = ?",
        (mentor_id,),
    ).fetchone()
    assert tuple(raw) == ("2026-03-10T00:00:00Z", "2026-03-09T14:30:05Z", "2026-05-05", 0)

    found = get_mentor(conn, mentor_id)
    assert found.name == "Aiko Tanaka" and found.kind == "peer" and found.local is False
    assert found.arenas == ["research"]
    assert found.notes == "Née « Tanaka » — ☕"
    assert found.stage_changed_at == tokyo
    assert found.stage_changed_at.tzinfo is not None
    assert found.stage_changed_at.utcoffset() == timedelta(0)
    assert found.created_at == NOW and found.pilot_review_on == date(2026, 5, 5)
    assert found.channels == ["video", "text"]


def test_a_record_written_by_the_domain_reads_back_through_a_session(
    store_path: Path, conn: sqlite3.Connection
) -> None:
    with conn:
        made = add_mentor(
            conn,
            NOW,
            ZoneInfo("Europe/Paris"),
            MentorFields(name="Henri Dubois", local=True, stage="pilot", arenas=["career"]),
        )
    with Session(models.engine(store_path)) as session:
        mentor = session.get(models.Mentor, made.id)
        assert mentor is not None
        assert mentor.name == "Henri Dubois" and mentor.is_local is True
        assert mentor.created_at == NOW and mentor.stage_changed_at == NOW
        for moment in (mentor.created_at, mentor.updated_at, mentor.stage_changed_at):
            assert moment.tzinfo is not None and moment.utcoffset() == timedelta(0)
        assert mentor.pilot_review_on == made.pilot_review_on
        assert isinstance(mentor.pilot_review_on, date)
        history = session.exec(select(models.StageChange).where(models.StageChange.mentor_id == made.id)).all()
        assert [(h.stage, h.changed_at) for h in history] == [("pilot", NOW)]
        # The same instant in another zone finds the record: comparisons run on UTC text.
        paris = NOW.astimezone(ZoneInfo("Europe/Paris"))
        assert session.exec(select(models.Mentor).where(models.Mentor.created_at == paris)).one().id == made.id


def test_a_naive_datetime_is_refused_by_validation(store_path: Path) -> None:
    data = {"name": "Rosa", "stage_changed_at": "2026-03-09T14:30:05"}
    with pytest.raises(ValidationError, match="timezone"):
        models.Mentor.model_validate(data)
    aware = models.Mentor.model_validate({**data, "stage_changed_at": "2026-03-09T14:30:05+01:00"})
    assert aware.stage_changed_at.utcoffset() == timedelta(hours=1)
    with pytest.raises(ValidationError):
        models.Mentor.model_validate({**data, "stage_changed_at": NOW, "stage": "friend"})


def test_a_naive_datetime_never_reaches_the_store(store_path: Path, conn: sqlite3.Connection) -> None:
    naive = datetime(2026, 3, 9, 14, 30)
    with Session(models.engine(store_path)) as session:
        # Direct construction skips Pydantic validation; the column type still refuses it.
        session.add(models.Mentor(name="Naive Nelly", stage_changed_at=naive))
        with pytest.raises(exc.StatementError, match="naive datetime"):
            session.commit()
    assert conn.execute("SELECT count(*) FROM mentor").fetchone()[0] == 0
    column = models.UTCText()
    with pytest.raises(ValueError, match="naive"):
        column.process_bind_param(naive, sqlite_dialect.dialect())
    shifted = datetime(2026, 3, 9, 16, 30, 5, tzinfo=timezone(timedelta(hours=2)))
    assert column.process_bind_param(shifted, sqlite_dialect.dialect()) == "2026-03-09T14:30:05Z"
    with pytest.raises(TypeError):
        models.DateText().process_bind_param(NOW, sqlite_dialect.dialect())


def test_sessions_enforce_foreign_keys(store_path: Path, conn: sqlite3.Connection) -> None:
    with Session(models.engine(store_path)) as session:
        session.add(models.Flag(mentor_id=999, kind="other", raised_on=date(2026, 1, 1)))
        with pytest.raises(exc.IntegrityError, match="FOREIGN KEY"):
            session.commit()
    assert conn.execute("SELECT count(*) FROM flag").fetchone()[0] == 0
