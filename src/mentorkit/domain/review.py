"""`review`: re-evaluate the board over a period (default the last 90 days).

The measures (docs/review.md explains them with an example):

- A *contact* is a held meeting of any mode (an email or text exchange counts), as for check-ins.
- *Cadence kept (%)*: the tracked span runs from the later of the period's start and the start of
  the relationship (its first pilot/active stage or first contact, whichever is earlier) to today,
  or to the day a paused mentor was paused. It is cut into windows one cadence long (weekly 7
  days, monthly 30, quarterly 90, an RRULE by its frequency and interval), counted back from the
  last day of the span; a partial window left at the start is not counted. Cadence kept is the
  share of those windows holding at least one contact. No cadence, or a span shorter than one
  window, gives no figure.
- Follow-ups each way: open and late (open, past due) items are counted as of today; items done
  in the period give the median days from created to done, for mine and for the mentor's.
- Advice in the period is advice given in it, by outcome. The advice *track record* (all time)
  ranks mentors by helpful advice and decides "low-value", because advice is often rated months
  after it was given.

Reasons to reconsider a relationship (active and pilot mentors; flags on paused ones too):
- stale: no contact for more than twice the cadence (counted from the relationship's start when
  there has been no contact);
- pilot-due: a pilot whose review date has come;
- flagged: an open red flag;
- one-sided: at least 2 meetings in the period were cancelled or missed, and more than were held
  (the store does not record which side cancelled);
- low-value: at least 2 pieces of advice rated, and more than half of them unhelpful.
"""

from __future__ import annotations

import sqlite3
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from mentorkit.clock import date_from_db, from_db, to_db
from mentorkit.dates import approx_days, localize
from mentorkit.domain.flags import Flag, list_flags
from mentorkit.errors import InvalidInput

DEFAULT_DAYS = 90
REVIEWED_STAGES = ("active", "pilot", "paused")


@dataclass
class FollowupStats:
    open: int = 0
    late: int = 0
    done: int = 0  # done in the period
    median_days_to_done: float | None = None  # of those done in the period


@dataclass
class AdviceTally:
    total: int = 0
    helpful: int = 0
    mixed: int = 0
    unhelpful: int = 0
    untested: int = 0

    @property
    def rated(self) -> int:
        return self.helpful + self.mixed + self.unhelpful


@dataclass
class CadenceKept:
    percent: int | None  # None: no cadence, or the span is shorter than one window
    windows: int
    kept: int
    window_days: int | None


@dataclass
class MentorReview:
    id: int
    name: str
    stage: str
    cadence: str | None
    local: bool | None
    meetings_by_mode: dict[str, int]  # held in the period
    held: int
    cancelled: int
    missed: int
    last_contact: date | None  # any time, not only in the period
    days_since_contact: int | None
    cadence_kept: CadenceKept
    mine: FollowupStats
    theirs: FollowupStats
    advice: AdviceTally  # given in the period
    advice_record: AdviceTally  # all time
    flags: list[Flag]  # open now, or raised in the period
    pilot_review_on: date | None
    started_on: date  # first pilot/active stage or first contact, whichever came first


@dataclass
class Ranked:
    rank: int
    mentor_id: int
    mentor: str
    count: int
    detail: str


@dataclass
class Prospect:
    id: int
    name: str


@dataclass
class Gap:
    arena: str
    prospects: list[Prospect]


@dataclass
class Reconsider:
    mentor_id: int
    mentor: str
    reason: str  # stale, pilot-due, flagged, one-sided, low-value
    detail: str
    action: str


@dataclass
class GroupReview:
    id: int
    name: str
    members: int
    held: int
    last_meeting: date | None
    cadence_kept: CadenceKept


@dataclass
class Ended:
    mentor_id: int
    mentor: str
    on: date
    reason: str | None


@dataclass
class Review:
    since: date
    until: date
    days: int
    mentors: list[MentorReview]
    by_use: list[Ranked]
    by_helpful_advice: list[Ranked]
    gaps: list[Gap]
    reconsider: list[Reconsider]
    groups: list[GroupReview] = field(default_factory=list)
    ended: list[Ended] = field(default_factory=list)


def cadence_kept(contacts: list[date], start: date, end: date, window: int | None) -> CadenceKept:
    """The share of whole windows in [start, end], counted back from `end`, with a contact."""
    if window is None or window < 1:
        return CadenceKept(None, 0, 0, window)
    windows = max(0, ((end - start).days + 1) // window)
    kept = 0
    for i in range(windows):
        last = end - timedelta(days=i * window)
        first = last - timedelta(days=window - 1)
        kept += any(first <= day <= last for day in contacts)
    percent = round(100 * kept / windows) if windows else None
    return CadenceKept(percent, windows, kept, window)


def _day(stamp: str | None, zone: tzinfo) -> date | None:
    moment = from_db(stamp)
    return moment.astimezone(zone).date() if moment else None


def _days(start: str, end: str) -> float:
    """Days from one store instant to another."""
    first, last = from_db(start), from_db(end)
    assert first is not None and last is not None
    return (last - first).total_seconds() / 86_400


def build_review(conn: sqlite3.Connection, now: datetime, zone: tzinfo, *,
                 since: date | None = None) -> Review:  # fmt: skip
    """The review of the board from `since` (default 90 days ago) to today, in `zone`."""
    today = now.astimezone(zone).date()
    start = since or today - timedelta(days=DEFAULT_DAYS)
    if start > today:
        raise InvalidInput(f"--since {start} is in the future; give a date on or before today")
    start_at = to_db(localize(datetime.combine(start, time()), zone))
    mentors = [
        _mentor(conn, row, now, zone, today, start, start_at)
        for row in conn.execute("SELECT * FROM mentor WHERE kind = 'mentor' AND stage IN ('active', 'pilot', 'paused')")
    ]
    by_use = _rank_by_use(mentors)
    order = {r.mentor_id: r.rank for r in by_use}
    mentors.sort(key=lambda m: order[m.id])
    return Review(
        since=start,
        until=today,
        days=(today - start).days + 1,
        mentors=mentors,
        by_use=by_use,
        by_helpful_advice=_rank_by_advice(mentors),
        gaps=_gaps(conn),
        reconsider=[item for m in mentors for item in _reasons(m, today)],
        groups=_groups(conn, now, zone, today, start, start_at),
        ended=_ended(conn, zone, start_at),
    )


def _mentor(conn: sqlite3.Connection, row: sqlite3.Row, now: datetime, zone: tzinfo, today: date,
            start: date, start_at: str) -> MentorReview:  # fmt: skip
    mid, now_at = row["id"], to_db(now)
    # Only the period's meetings are read, and the first and last contact looked up in the index:
    # the cost of a review follows the period, not the length of the history.
    in_period = conn.execute(
        "SELECT mode, status, starts_at FROM meeting WHERE mentor_id = ? "
        "AND status IN ('planned', 'held', 'cancelled', 'missed') AND starts_at >= ? AND starts_at <= ?",
        (mid, start_at, now_at),
    ).fetchall()
    contacts = sorted(d for m in in_period if m["status"] == "held" and (d := _day(m["starts_at"], zone)))
    held = "SELECT {}(starts_at) FROM meeting WHERE mentor_id = ? AND status = 'held' AND starts_at <= ?"
    first = _day(conn.execute(held.format("min"), (mid, now_at)).fetchone()[0], zone)
    last = _day(conn.execute(held.format("max"), (mid, now_at)).fetchone()[0], zone)
    statuses = Counter(m["status"] for m in in_period)
    modes = Counter(m["mode"] for m in in_period if m["status"] == "held")
    window = approx_days(row["cadence"]) if row["cadence"] else None
    span_start, span_end = _span(conn, row, zone, today, [first] if first else [])
    kept = cadence_kept(contacts, max(start, span_start), span_end, window)
    tallies = conn.execute(
        "SELECT outcome, given_on >= ? AS recent, count(*) AS n FROM advice WHERE mentor_id = ? GROUP BY 1, 2",
        (start.isoformat(), mid),
    ).fetchall()
    flags = [
        f for f in list_flags(conn, mentor_id=mid, include_resolved=True)
        if f.open or f.raised_on >= start
    ]  # fmt: skip
    return MentorReview(
        id=mid, name=row["name"], stage=row["stage"],
        cadence=row["cadence_label"] or row["cadence"],
        local=None if row["is_local"] is None else bool(row["is_local"]),
        meetings_by_mode=dict(sorted(modes.items())), held=statuses["held"],
        cancelled=statuses["cancelled"], missed=statuses["missed"],
        last_contact=last, days_since_contact=(today - last).days if last else None,
        cadence_kept=kept,
        mine=_followups(conn, mid, "me", today, start_at),
        theirs=_followups(conn, mid, "mentor", today, start_at),
        advice=_tally(_outcomes(tallies, in_period_only=True)),
        advice_record=_tally(_outcomes(tallies, in_period_only=False)),
        flags=flags,
        pilot_review_on=date_from_db(row["pilot_review_on"]),
        started_on=span_start,
    )  # fmt: skip


def _span(conn: sqlite3.Connection, row: sqlite3.Row, zone: tzinfo, today: date,
          contacts: list[date]) -> tuple[date, date]:  # fmt: skip
    """When the relationship started (first pilot/active stage or first contact) and the last day
    its cadence applied (today, or the day a paused mentor was paused)."""
    changes = conn.execute(
        "SELECT stage, changed_at FROM stage_change WHERE mentor_id = ? ORDER BY changed_at, id",
        (row["id"],),
    ).fetchall()
    started = [_day(c["changed_at"], zone) for c in changes if c["stage"] in ("pilot", "active")]
    candidates = [d for d in [*started[:1], *contacts[:1]] if d is not None]
    begin = min(candidates) if candidates else _day(row["created_at"], zone) or today
    end = today
    if row["stage"] == "paused":
        end = _day(row["stage_changed_at"], zone) or today
    return begin, end


def _followups(conn: sqlite3.Connection, mentor_id: int, owner: str, today: date,
               start_at: str) -> FollowupStats:  # fmt: skip
    open_count, late = conn.execute(
        "SELECT count(*), coalesce(sum(due_on < ?), 0) FROM followup "
        "WHERE mentor_id = ? AND status = 'open' AND owner = ?",
        (today.isoformat(), mentor_id, owner),
    ).fetchone()
    done = conn.execute(
        "SELECT created_at, done_at FROM followup "
        "WHERE mentor_id = ? AND status = 'done' AND owner = ? AND done_at >= ?",
        (mentor_id, owner, start_at),
    ).fetchall()
    durations = [_days(r["created_at"], r["done_at"]) for r in done]
    return FollowupStats(
        open=open_count,
        late=late,
        done=len(done),
        median_days_to_done=round(statistics.median(durations), 1) if durations else None,
    )


def _outcomes(tallies: list[sqlite3.Row], *, in_period_only: bool) -> Iterable[str]:
    """The outcome of each piece of advice, from (outcome, in the period, count) rows."""
    for t in tallies:
        if t["recent"] or not in_period_only:
            yield from [t["outcome"]] * t["n"]


def _tally(outcomes: Iterable[str]) -> AdviceTally:
    counts = Counter(outcomes)
    return AdviceTally(
        total=sum(counts.values()), helpful=counts["helpful"], mixed=counts["mixed"],
        unhelpful=counts["unhelpful"], untested=counts["untested"],
    )  # fmt: skip


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _ranked(rows: list[tuple[MentorReview, int, str]]) -> list[Ranked]:
    return [Ranked(n, m.id, m.name, count, detail) for n, (m, count, detail) in enumerate(rows, 1)]


def _rank_by_use(mentors: list[MentorReview]) -> list[Ranked]:
    """Most contacts in the period first; ties go to the more recent contact."""
    order = sorted(
        mentors,
        key=lambda m: (-m.held, -(m.last_contact or date.min).toordinal(), m.name.casefold()),
    )
    return _ranked([
        (m, m.held, f"{m.held} contact{_s(m.held)}"
         + (f", last {m.last_contact}" if m.last_contact else ", never in touch"))
        for m in order
    ])  # fmt: skip


def _rank_by_advice(mentors: list[MentorReview]) -> list[Ranked]:
    """Most helpful advice (all time) first; ties go to the higher helpful share of rated advice."""

    def key(m: MentorReview) -> tuple[int, float, str]:
        record = m.advice_record
        share = record.helpful / record.rated if record.rated else 0.0
        return (-record.helpful, -share, m.name.casefold())

    return _ranked([
        (m, m.advice_record.helpful,
         f"{m.advice_record.helpful} helpful of {m.advice_record.rated} rated"
         + (f", {m.advice_record.untested} untested" if m.advice_record.untested else ""))
        for m in sorted(mentors, key=key)
    ])  # fmt: skip


def _gaps(conn: sqlite3.Connection) -> list[Gap]:
    from mentorkit.domain.board import build_board

    board = build_board(conn)
    return [Gap(a.name, [Prospect(p.id, p.name) for p in a.prospects]) for a in board.arenas if a.gap]


def _reasons(m: MentorReview, today: date) -> list[Reconsider]:
    ref = str(m.id)
    found: list[Reconsider] = []

    def add(reason: str, detail: str, action: str) -> None:
        found.append(Reconsider(m.id, m.name, reason, detail, action))

    live = m.stage in ("active", "pilot")
    window = m.cadence_kept.window_days
    if live and window:
        # never in touch: count from the start of the relationship
        last = m.last_contact
        silent = (today - last).days if last else (today - m.started_on).days
        if silent > 2 * window:
            never = "" if last else " (none since it started)"
            add(
                "stale",
                f"no contact for {silent} days{never}; the cadence is {m.cadence}, so twice it is {2 * window} days",
                f"get in touch (mentorkit plan {ref} --when ...), or pause: mentorkit stage {ref} paused",
            )
    if m.stage == "pilot" and m.pilot_review_on and m.pilot_review_on <= today:
        late = (today - m.pilot_review_on).days
        when = "today" if late == 0 else f"{late} day{_s(late)} ago"
        add(
            "pilot-due",
            f"the pilot review was due on {m.pilot_review_on} ({when}); {m.held} "
            f"contact{_s(m.held)} in the period, {m.advice_record.helpful} helpful advice so far",
            f"mentorkit stage {ref} active, extend with mentorkit edit {ref} --pilot-weeks N, "
            f"or mentorkit end {ref} --reason ...",
        )
    open_flags = [f for f in m.flags if f.open]
    if open_flags:
        kinds = Counter(f.kind for f in open_flags)
        listing = ", ".join(k + (f" ×{n}" if n > 1 else "") for k, n in sorted(kinds.items()))
        first = min(f.raised_on for f in open_flags)
        add(
            "flagged",
            f"open red flag{_s(len(open_flags))}: {listing} (since {first})",
            f"talk it through, or end it: mentorkit end {ref} --reason ...; "
            "once dealt with: mentorkit unflag " + " ".join(str(f.id) for f in open_flags),
        )
    failed = m.cancelled + m.missed
    if live and failed >= 2 and failed > m.held:
        add(
            "one-sided",
            f"{failed} of {failed + m.held} meetings in the period were cancelled or missed "
            f"({m.cancelled} cancelled, {m.missed} missed)",
            f"ask whether the relationship still works for both of you, or pause it: mentorkit stage {ref} paused",
        )
    record = m.advice_record
    if live and record.rated >= 2 and 2 * record.unhelpful > record.rated:
        add(
            "low-value",
            f"{record.unhelpful} of {record.rated} rated pieces of advice were unhelpful",
            f"ask them only about what they know best, or end it: mentorkit end {ref} --reason ...",
        )
    return found


def _groups(conn: sqlite3.Connection, now: datetime, zone: tzinfo, today: date, start: date,
            start_at: str) -> list[GroupReview]:  # fmt: skip
    result = []
    for g in conn.execute("SELECT * FROM mgroup ORDER BY name COLLATE NOCASE"):
        held_days = sorted(
            d for r in conn.execute(
                "SELECT starts_at FROM meeting "
                "WHERE group_id = ? AND status = 'held' AND starts_at <= ?",
                (g["id"], to_db(now)),
            ) if (d := _day(r[0], zone)) is not None
        )  # fmt: skip
        begin = min([d for d in (_day(g["created_at"], zone), *held_days[:1]) if d is not None])
        window = approx_days(g["cadence"]) if g["cadence"] else None
        members = conn.execute("SELECT count(*) FROM group_member WHERE group_id = ?", (g["id"],)).fetchone()[0]
        result.append(GroupReview(
            g["id"], g["name"], members, sum(1 for d in held_days if d >= start),
            held_days[-1] if held_days else None,
            cadence_kept(held_days, max(start, begin), today, window),
        ))  # fmt: skip
    return result


def _ended(conn: sqlite3.Connection, zone: tzinfo, start_at: str) -> list[Ended]:
    rows = conn.execute(
        "SELECT m.id, m.name, sc.changed_at, sc.reason FROM stage_change sc "
        "JOIN mentor m ON m.id = sc.mentor_id WHERE sc.stage = 'ended' AND m.stage = 'ended' "
        "AND sc.changed_at >= ? ORDER BY sc.changed_at",
        (start_at,),
    )
    return [Ended(r["id"], r["name"], _day(r["changed_at"], zone) or date.min, r["reason"]) for r in rows]
