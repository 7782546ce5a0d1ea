"""Data in and out: JSON, CSV, iCalendar, vCard and the Markdown report.

Each format is its own module. Exporters read the store through an `sqlite3.Connection` and
write to a text stream; importers check a whole file first (so a malformed file fails before
anything is written) and then apply its records inside the caller's single write transaction (a
JSON export is streamed from the file, record by record, by `jsonstream`). None of these modules imports typer or rich: progress is reported through a plain
callback.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int], None]
"""Called with the number of records just processed (for a progress bar)."""


def no_progress(_: int) -> None:
    return None
