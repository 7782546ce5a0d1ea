"""`plan --repeat N`: a series of planned meetings (domain/series.py), shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from mentorkit.cli.common import emit_json, say

if TYPE_CHECKING:
    from datetime import tzinfo

    from mentorkit.domain.series import Series


def show_series(series: Series, my_zone: tzinfo, as_json: bool) -> None:
    """The ids on stdout (one a line), and each meeting with its warnings on stderr."""
    from mentorkit.cli.meetings import when_text
    from mentorkit.drafting.wording import with_article

    if as_json:
        emit_json(series)
        return
    first, last = series.planned[0].meeting, series.planned[-1].meeting
    for planned in series.planned:
        typer.echo(planned.meeting.id)
    count = len(series.planned)
    skipped = ""
    if series.skipped:
        skipped = f" ({series.skipped} date{'s' if series.skipped != 1 else ''} already past skipped)"
    if count > 1:
        say(
            f"Planned {count} {first.mode} meetings with {first.with_whom} (#{first.id}–#{last.id}), "
            f"each its own meeting{skipped}:"
        )
    else:
        say(f"Planned {with_article(first.mode)} meeting with {first.with_whom} (#{first.id}){skipped}:")
    from mentorkit.cli.zones import participant_lines, say_shifts
    from mentorkit.domain.meetings import SERIES_LOOKAHEAD

    for planned in series.planned:
        say(f"  #{planned.meeting.id}  {when_text(planned.meeting, my_zone)}")
        if planned.meeting.group_id is not None:  # each member's clock, as `plan --group` shows it
            for line in participant_lines(planned.participants[1:], indent="      "):
                say(line)
        for warning in planned.warnings:
            say(f"    Warning: {warning}.")
    say_shifts(series.planned[0].shifts, series.planned[0].repeats, SERIES_LOOKAHEAD)
