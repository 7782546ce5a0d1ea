"""What `import` says and asks about people from other tools: its summary, and at a terminal the
question for each name-only suggestion (domain/identity.py, rule 3). No commands here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

import typer

from mentorkit.cli.common import console, emit_json, say, state, writing

if TYPE_CHECKING:
    from mentorkit.exchange.changes import ImportResult, Suggestion
    from mentorkit.exchange.importer import Parsed

SHOWN = 20
"""People an import lists by name (all of them in --json)."""


ANSWERS = {"y": "y", "yes": "y", "n": "n", "no": "n", "all": "all", "a": "all", "none": "none"}
"""What the question about a suggestion accepts (anything else asks again)."""


class _Rollback(Exception):
    """Raised inside the first pass's write transaction to roll it back."""


def _all(index: int) -> bool:
    return True


def _described(s: Suggestion) -> str:
    where = f", {s.institution}" if s.institution else ""
    return f"{s.row}: {s.name} — like {s.mentor} (#{s.mentor_id}, {s.stage}{where})"


def ask_suggestions(
    ctx: typer.Context,
    parsed: Parsed,
    moment: datetime,
    zone: tzinfo,
    source: str,
    *,
    match_names: bool,
    dry_run: bool,
) -> Callable[[int], bool] | None:
    """How name-only suggestions are decided: all accepted with --match-names; at a terminal (not
    a dry run) the person is asked about each, after a first pass that finds them and is rolled
    back (no lock is held while one answers); otherwise none (they are added and reported)."""
    if match_names:
        return _all
    if dry_run or not parsed.contacts:
        return None
    from mentorkit.cli.drafting import at_terminal
    from mentorkit.store.db import resolve_db_path

    if not at_terminal() or not resolve_db_path(state(ctx).db).exists():
        return None
    from mentorkit.exchange.importer import apply_import

    found: list[Suggestion] = []
    try:
        with writing(ctx) as conn:
            found = apply_import(conn, parsed, now=moment, zone=zone, source=source).suggested
            raise _Rollback
    except _Rollback:
        pass
    if not found:
        return None
    say(
        f"{len(found)} person(s) in the file have the name of someone in the store, and no email or "
        "profile URL on both sides to tell whether they are the same person:"
    )
    accepted: set[int] = set()
    answer = ""
    for suggestion in found:
        while answer not in ("all", "none"):
            answer = ANSWERS.get(
                str(typer.prompt(f"{_described(suggestion)}. The same person? y, n, all, none", default="n", err=True))
                .strip()
                .casefold(),
                "",
            )
            if answer in ("y", "n"):
                break
        if answer in ("y", "all"):
            accepted.add(suggestion.index)
    return accepted.__contains__


def show_import(result: ImportResult, kind: str, as_json: bool) -> None:
    """The summary of an import (or of a dry run): a table of counts, then what a person should
    know: updated fields, ended relationships, people matched by name, possible duplicates."""
    if as_json:
        emit_json(
            {
                "format": result.format,
                "kind": kind,
                "dry_run": result.dry_run,
                "changed": result.changed,
                "tables": result.tables,
                "notes": result.notes,
                "matched": result.matched,
                "suggested": result.suggested,
                "ended": result.ended,
                "fields": dict(sorted(result.fields.items())),
            }
        )
        return
    rows = [(name, t) for name, t in result.tables.items() if t.added or t.updated or t.unchanged or t.kept or t.links]
    if rows:
        from mentorkit.cli.render import Col, Table

        table = Table(
            Col("records"),
            Col("added", "num"),
            Col("updated", "num"),
            Col("unchanged", "num"),
            Col("kept", "num"),
            Col("links added", "num"),
            title=f"Import of {kind}" + (" (dry run)" if result.dry_run else ""),
        )
        for name, t in rows:
            table.add_row(name, str(t.added), str(t.updated), str(t.unchanged), str(t.kept), str(t.links))
        console().print(table)
    for note in result.notes:
        say(f"Note: {note}")
    _people(result)
    if result.dry_run:
        say("Dry run: nothing was written." if result.changed else "Dry run: the import would change nothing.")
    elif not result.changed:
        say("Nothing to change: the store already holds everything in this file.")


def _people(result: ImportResult) -> None:
    if result.fields:
        people = result.tables["mentors"].updated
        fields = ", ".join(f"{name.replace('_', ' ')} {n}" for name, n in sorted(result.fields.items()))
        say(
            f"{'Would update' if result.dry_run else 'Updated'} {people} people already in the store (fields: {fields})."
        )
    by_key = sum(1 for m in result.matched if m.by_key)
    if by_key:
        say(f"{by_key} row(s) are people already in the store (the same email or profile URL).")
    if result.ended:
        say(f"{result.ended} of them are people whose relationship ended: they stay ended, not added again.")
    by_name = [m for m in result.matched if not m.by_key]
    for match in by_name[:SHOWN]:
        say(f"{match.row}: {match.name} is {match.mentor} (#{match.mentor_id}), already in the store (same name)")
    if len(by_name) > SHOWN:
        say(f"... and {len(by_name) - SHOWN} more matched by name (see --json)")
    if result.suggested:
        verb = "would be added" if result.dry_run else "were added"
        say(
            f"{len(result.suggested)} possible duplicate(s) {verb} as new people: the name of someone in the "
            "store, and no email or profile URL on both sides to tell (at a terminal import asks; "
            "--match-names takes them as the same person):"
        )
        for suggestion in result.suggested[:SHOWN]:
            say(f"  {_described(suggestion)}")
        if len(result.suggested) > SHOWN:
            say(f"  ... and {len(result.suggested) - SHOWN} more (see --json)")
        if not result.dry_run:
            say("`mentorkit mentors --duplicates` lists them; `mentorkit merge ID --into ID` makes two records one.")
