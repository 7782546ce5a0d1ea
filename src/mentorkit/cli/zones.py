"""How `plan` shows everyone's clock: participants' local times, suggested slots and the
daylight-saving changes of a repeating meeting (the data comes from domain/zones.py).

Messages for the person, so they go to stderr as lines (`say`), never to stdout, which keeps
the meeting's id alone for scripts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mentorkit.cli.common import say
from mentorkit.cli.text import width

if TYPE_CHECKING:
    from mentorkit.domain.zones import DstShift, LocalTime, Slot


def _pad(text: str, size: int) -> str:
    return text + " " * max(0, size - width(text))


def participant_lines(times: list[LocalTime], indent: str = "  ") -> list[str]:
    """One line per participant: name, their local day and time, and a mark outside their hours."""
    size = max((width(t.name) for t in times), default=0)
    clock = max((width(t.text) for t in times), default=0)
    lines = []
    for t in times:
        mark = f"  outside {t.hours}" if t.outside_hours else ""
        if t.starts is None:
            mark = f"  (set it: mentorkit edit {t.mentor_id} --timezone ZONE)" if t.mentor_id is not None else ""
        lines.append((indent + _pad(t.name, size) + "  " + _pad(t.text, clock) + mark).rstrip())
    return lines


def say_participants(times: list[LocalTime]) -> None:
    for line in participant_lines(times):
        say(line)


def say_shifts(shifts: list[DstShift], repeats: str | None, lookahead: int) -> None:
    if not shifts:
        return
    say(f"Daylight-saving changes over the next {lookahead} meetings if it repeats {repeats}:")
    size = max(width(s.name) for s in shifts)
    for s in shifts:
        say(f"  {_pad(s.name, size)}  moves from {s.before} to {s.after} on {_day(s)}")


def _day(shift: DstShift) -> str:
    from mentorkit.dates import format_day

    return format_day(shift.on)


def suggestion_lines(slots: list[Slot], what: str) -> list[str]:
    """The suggestions as a short document (stdout: they are what `plan --suggest` answers)."""
    lines = [f"Best starts {what}, in each participant's time:"]
    for n, slot in enumerate(slots, 1):
        fits = "inside everyone's working hours" if not slot.outside else "outside hours for " + ", ".join(slot.outside)
        lines.append(f"{n}. {slot.times[0].text} ({fits})")
        lines += participant_lines(slot.times[1:], indent="     ")
    return lines
