"""`review`: re-evaluate the board over a period (default the last 90 days).

The measures (docs/review.md explains them with an example):

- A *contact* is a held meeting of any mode (an email or text exchange counts), as for check-ins.
- *Cadence kept (%)*: the tracked span runs from the later of the period's start and the start of
  the relationship (its first pilot/active stage or first contact, whichever is earlier) to today,
  or to the day a paused mentor was paused. The cadence's own expected days in the span are
  counted from the start of the relationship (a group: its forming or first meeting): the first
  Tuesday of each month, or every 3 months from the start for quarterly. Each expected day has a
  tolerance of half the gap to its neighbours on each side (so the windows tile the calendar and
  one contact keeps one date at most); cadence kept is the share of expected days with a contact
  in their window. A day whose window is still open today counts only once kept. No cadence, or
  no expected day yet, gives no figure.
- Follow-ups each way: open and late (open, past due) items are counted as of today; items done
  in the period give the median days to done, counted from the meeting they came from (or, for
  an item added on its own, from when it was added), for mine and for the mentor's; and, for
  those with a due date, how many were done late and the median days late (negative: early),
  as calendar days in the profile's zone.
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

Goals (domain/goal_review.py): progress per goal over the period, and goals no mentor helps with
(gaps at goal level) with the prospects who could.
"""

from __future__ import annotations

import sqlite3
import statistics
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

from mentorkit.cadences import SIMPLE_RULE, cadence_words, expected_days
from mentorkit.clock import date_from_db, from_db, to_db
from mentorkit.dates import approx_days, format_day, localize
from mentorkit.domain.flags import Flag, list_flags
from mentorkit.errors import InvalidInput

if TYPE_CHECKING:
    from mentorkit.domain.goal_review import GoalGap, GoalProgress

DEFAULT_DAYS = 90


@dataclass
class FollowupStats:
    open: int
    late: int
    done: int  # done in the period
    median_days_to_done: float | None  # of those done in the period, from the meeting (or when added)
    done_with_due: int  # of those done in the period, the ones that had a due date
    done_late: int  # of those, done after the due date
    median_days_late: float | None  # done day minus due day (negative: early)


@dataclass
class AdviceTally:
    total: int
    helpful: int
    mixed: int
    unhelpful: int
    untested: int

    @property
    def rated(self) -> int:
        return self.helpful + self.mixed + self.unhelpful


@dataclass
class CadenceKept:
    percent: int | None  # None: no cadence, or no expected date counted yet
    windows: int  # expected dates counted (their windows closed, or kept)
    kept: int  # of those, the ones with a contact in their window
    window_days: int | None  # about how long one period is (for "stale")


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
    cadence: str | None  # in words
    mine: FollowupStats  # the group's items: open and late now (nothing else is counted for a group)
    theirs: FollowupStats  # waiting on the group or a member
    advice: AdviceTally  # given at its meetings in the period


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
    goals: list[GoalProgress] = field(default_factory=list)
    goal_gaps: list[GoalGap] = field(default_factory=list)


def refill_tallies(conn: sqlite3.Connection) -> None:
    """Recount `mentor_tally` from the records (inside the caller's write transaction): for
    `doctor --rebuild-index`, and after a bulk import that dropped the counting triggers."""
    from mentorkit.store.schema_v4_tally import POPULATE

    conn.execute("DELETE FROM mentor_tally")
    for statement in POPULATE:
        conn.execute(statement)


class Midnights:
    """Local midnights as store instants, cached: the mentors with the same cadence and last day
    share their windows, and converting a local midnight to UTC costs more than the query that
    uses it.

    A day is the time between two local midnights. (In the few zones that once turned their
    clocks back just after midnight, St John's and Goose Bay until 2011, the repeated minutes
    count for the new day.)
    """

    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone
        self._cache: dict[date, str] = {}

    def of(self, day: date) -> str:
        if day not in self._cache:
            self._cache[day] = to_db(localize(datetime.combine(day, time()), self.zone))
        return self._cache[day]


def expected_windows(rule: str, anchor: date, start: date, end: date) -> list[tuple[date, date, date]]:
    """(expected day, first day, day after the last) of each day in [start, end] that a calendar
    rule (first Tuesday, every Monday) expects a contact, counted from `anchor`. Each expected
    day owns the days nearer to it than to its neighbours (half the gap on each side; the middle
    day of an odd gap goes to the later one), so the windows tile the calendar and one contact
    keeps one date at most."""
    days = expected_days(rule, anchor, start, end)
    result = []
    for i, day in enumerate(days):
        if not start <= day <= end:
            continue
        after = days[i + 1] if i + 1 < len(days) else None
        before = days[i - 1] if i > 0 else None
        if before is None and after is None:
            continue
        gap_before = (day - before).days if before else (after - day).days  # type: ignore[operator]
        gap_after = (after - day).days if after else gap_before
        first = day - timedelta(days=gap_before // 2)
        result.append((day, first, day + timedelta(days=(gap_after + 1) // 2)))
    return result


def _floating_windows(
    rule: str, base: date, start: date, end: date, contacts: list[date]
) -> list[tuple[date, date, date, bool]]:
    """(expected day, first day, day after the last, kept) for a simple cadence (monthly, every
    10 days): the next contact is expected one period after the last one (as check-ins count; an
    early contact moves it), within half a period either way; a missed date moves the next one a
    period on."""
    from dateutil.relativedelta import relativedelta

    m = SIMPLE_RULE.match(rule)
    assert m is not None
    unit = {"DAILY": "days", "WEEKLY": "weeks", "MONTHLY": "months", "YEARLY": "years"}[m[1]]
    period = relativedelta(**{unit: int(m[2] or 1)})
    half = timedelta(days=approx_days(rule) // 2)
    result = []
    expected = base + period
    while expected <= end:
        lo, hi = expected - half, expected + half + timedelta(days=1)
        early = contacts[bisect_left(contacts, base + timedelta(days=1)) : bisect_left(contacts, lo)]
        if early:  # a contact before the window: the next one is expected a period after it
            base = early[-1]
            expected = base + period
            continue
        inside = contacts[bisect_left(contacts, lo) : bisect_left(contacts, hi)]
        if expected >= start:
            result.append((expected, lo, hi, bool(inside)))
        base = inside[-1] if inside else expected
        expected = base + period
    return result


def cadence_kept(
    conn: sqlite3.Connection,
    owner: tuple[str, int],
    rule: str | None,
    anchor: date,
    start: date,
    end: date,
    midnights: Midnights,
    now_at: str,
) -> CadenceKept:
    """The share of the days in [start, end] the cadence expected a contact that had one (a held
    meeting that started by `now_at`) within their tolerance. A calendar rule's days are its own
    (`expected_windows`, counted from `anchor`, when the relationship started); a simple
    cadence's float with the contacts (`_floating_windows`, from the last contact before `start`,
    else from `anchor`). A day whose window is still open on `end` counts only once kept.

    `owner` is ("mentor_id", id) or ("group_id", id). The contacts are read once, as local days,
    by an indexed range over the period, so the cost follows the period, not the history.
    """
    column, key = owner
    assert column in ("mentor_id", "group_id")
    window = approx_days(rule) if rule else None
    if rule is None or window is None or end < start:
        return CadenceKept(None, 0, 0, window)
    calendar = None if SIMPLE_RULE.match(rule) else expected_windows(rule, anchor, start, end)
    earliest = min((lo for _, lo, _ in calendar), default=start) if calendar is not None else start
    earliest = min(earliest, start - timedelta(days=window))
    contacts = sorted(
        from_db(at).astimezone(midnights.zone).date()  # type: ignore[union-attr]
        for (at,) in conn.execute(
            f"SELECT starts_at FROM meeting WHERE {column} = :key AND status = 'held' "
            "AND starts_at >= :since AND starts_at <= :now",
            {"key": key, "since": midnights.of(earliest), "now": now_at},
        )
    )
    if calendar is None:
        last_before = conn.execute(
            f"SELECT max(starts_at) FROM meeting WHERE {column} = ? AND status = 'held' AND starts_at < ? "
            "AND starts_at <= ?",
            (key, midnights.of(start), now_at),
        ).fetchone()[0]
        base = _day(last_before, midnights.zone) or anchor
        found = _floating_windows(rule, base, start, end, contacts)
    else:
        found = [(day, lo, hi, bisect_left(contacts, lo) < bisect_left(contacts, hi)) for day, lo, hi in calendar]
    closed = end + timedelta(days=1)
    counted = [hit for _, _, hi, hit in found if hit or hi <= closed]
    kept = sum(counted)
    percent = round(100 * kept / len(counted)) if counted else None
    return CadenceKept(percent, len(counted), kept, window)


def _day(stamp: str | None, zone: tzinfo) -> date | None:
    moment = from_db(stamp)
    return moment.astimezone(zone).date() if moment else None


@dataclass
class _Context:
    """What every mentor's review shares: the period, and what is read once for all mentors."""

    now: datetime
    zone: tzinfo
    today: date
    start: date
    start_at: str
    now_at: str
    midnights: Midnights
    tallies: dict[int, dict[str, int]]
    stage_changes: dict[int, list[tuple[str, str]]]
    flags: dict[int, list[Flag]]


def build_review(conn: sqlite3.Connection, now: datetime, zone: tzinfo, *, since: date | None = None) -> Review:
    """The review of the board from `since` (default 90 days ago) to today, in `zone`.

    Its cost follows the number of mentors and the length of the period, not the length of the
    history: all-time counts come from `mentor_tally` (kept by triggers, store/schema_v4_tally.py)
    and everything else is read through indexes bounded by the period.
    """
    today = now.astimezone(zone).date()
    start = since or today - timedelta(days=DEFAULT_DAYS)
    if start > today:
        raise InvalidInput(f"--since {start} is in the future; give a date on or before today")
    start_at = to_db(localize(datetime.combine(start, time()), zone))
    tallies: dict[int, dict[str, int]] = {}
    for mid, measure, n in conn.execute("SELECT mentor_id, measure, n FROM mentor_tally"):
        tallies.setdefault(mid, {})[measure] = n
    changes: dict[int, list[tuple[str, str]]] = {}
    for mid, stage, at in conn.execute("SELECT mentor_id, stage, changed_at FROM stage_change ORDER BY changed_at, id"):
        changes.setdefault(mid, []).append((stage, at))
    flags: dict[int, list[Flag]] = {}
    for f in list_flags(conn, include_resolved=True):
        if f.open or f.raised_on >= start:
            flags.setdefault(f.mentor_id, []).append(f)
    ctx = _Context(now, zone, today, start, start_at, to_db(now), Midnights(zone), tallies, changes, flags)
    mentors = [
        _mentor(conn, row, ctx)
        for row in conn.execute("SELECT * FROM mentor WHERE kind = 'mentor' AND stage IN ('active', 'pilot', 'paused')")
    ]
    by_use = _rank_by_use(mentors)
    order = {r.mentor_id: r.rank for r in by_use}
    mentors.sort(key=lambda m: order[m.id])
    from mentorkit.domain.goal_review import goal_progress

    goals, goal_gaps = goal_progress(conn, today, start, start_at, to_db(now))
    return Review(
        goals=goals,
        goal_gaps=goal_gaps,
        since=start,
        until=today,
        days=(today - start).days + 1,
        mentors=mentors,
        by_use=by_use,
        by_helpful_advice=_rank_by_advice(mentors),
        gaps=_gaps(conn),
        reconsider=[item for m in mentors for item in _reasons(m, today)],
        groups=_groups(conn, ctx),
        ended=_ended(conn, zone, start_at),
    )


def _mentor(conn: sqlite3.Connection, row: sqlite3.Row, ctx: _Context) -> MentorReview:
    mid, zone = row["id"], ctx.zone
    counts = conn.execute(
        "SELECT status, mode, count(*) FROM meeting WHERE mentor_id = ? "
        "AND status IN ('held', 'cancelled', 'missed') AND starts_at >= ? AND starts_at <= ? GROUP BY 1, 2",
        (mid, ctx.start_at, ctx.now_at),
    ).fetchall()
    statuses: Counter[str] = Counter()
    modes: Counter[str] = Counter()
    for status, mode, n in counts:
        statuses[status] += n
        if status == "held":
            modes[mode] += n
    first_at, last_at = conn.execute(
        "SELECT (SELECT min(starts_at) FROM meeting WHERE mentor_id = :mid AND status = 'held' AND starts_at <= :now), "
        "(SELECT max(starts_at) FROM meeting WHERE mentor_id = :mid AND status = 'held' AND starts_at <= :now)",
        {"mid": mid, "now": ctx.now_at},
    ).fetchone()
    first, last = _day(first_at, zone), _day(last_at, zone)
    span_start, span_end = _span(row, ctx, first)
    kept = cadence_kept(
        conn,
        ("mentor_id", mid),
        row["cadence"],
        span_start,
        max(ctx.start, span_start),
        span_end,
        ctx.midnights,
        ctx.now_at,
    )
    tally = ctx.tallies.get(mid, {})
    in_period = dict(
        conn.execute(
            "SELECT outcome, count(*) FROM advice WHERE mentor_id = ? AND given_on >= ? GROUP BY outcome",
            (mid, ctx.start.isoformat()),
        ).fetchall()
    )
    late = dict(
        conn.execute(
            # Named: without statistics SQLite prefers the index with more equalities, which reads every
            # open item; this one reads only the late ones.
            "SELECT owner, count(*) FROM followup INDEXED BY followup_open_due "
            "WHERE mentor_id = ? AND status = 'open' AND due_on < ? GROUP BY owner",
            (mid, ctx.today.isoformat()),
        ).fetchall()
    )
    done: dict[str, list[float]] = {"me": [], "mentor": []}
    lateness: dict[str, list[int]] = {"me": [], "mentor": []}
    for owner, seconds, due_on, done_at in conn.execute(  # whole seconds, as the instants are stored
        "SELECT owner, round((julianday(done_at) - julianday(coalesce(min(meeting.starts_at, followup.created_at), "
        "followup.created_at))) * 86400), due_on, done_at FROM followup "
        "LEFT JOIN meeting ON meeting.id = followup.meeting_id "
        "WHERE followup.mentor_id = ? AND followup.status = 'done' AND owner IN ('me', 'mentor') AND done_at >= ?",
        (mid, ctx.start_at),
    ):
        done[owner].append(seconds / 86_400)
        if due_on is not None:
            lateness[owner].append((_day(done_at, zone) - date.fromisoformat(due_on)).days)  # type: ignore[operator]
    return MentorReview(
        id=mid,
        name=row["name"],
        stage=row["stage"],
        cadence=cadence_words(row["cadence"], row["cadence_label"]),
        local=None if row["is_local"] is None else bool(row["is_local"]),
        meetings_by_mode=dict(sorted(modes.items())),
        held=statuses["held"],
        cancelled=statuses["cancelled"],
        missed=statuses["missed"],
        last_contact=last,
        days_since_contact=(ctx.today - last).days if last else None,
        cadence_kept=kept,
        mine=_followups(tally.get("open:me", 0), late.get("me", 0), done["me"], lateness["me"]),
        theirs=_followups(tally.get("open:mentor", 0), late.get("mentor", 0), done["mentor"], lateness["mentor"]),
        advice=_tally(in_period),
        advice_record=_tally({o: tally.get(f"advice:{o}", 0) for o in OUTCOMES}),
        flags=ctx.flags.get(mid, []),
        pilot_review_on=date_from_db(row["pilot_review_on"]),
        started_on=span_start,
    )


def _span(row: sqlite3.Row, ctx: _Context, first_contact: date | None) -> tuple[date, date]:
    """When the relationship started (first pilot/active stage or first contact) and the last day
    its cadence applied (today, or the day a paused mentor was paused)."""
    started = [_day(at, ctx.zone) for stage, at in ctx.stage_changes.get(row["id"], []) if stage in ("pilot", "active")]
    candidates = [d for d in [*started[:1], first_contact] if d is not None]
    begin = min(candidates) if candidates else _day(row["created_at"], ctx.zone) or ctx.today
    end = ctx.today
    if row["stage"] == "paused":
        end = _day(row["stage_changed_at"], ctx.zone) or ctx.today
    return begin, end


def _followups(open_count: int, late: int, durations: list[float], lateness: list[int]) -> FollowupStats:
    return FollowupStats(
        open=open_count,
        late=late,
        done=len(durations),
        median_days_to_done=round(statistics.median(durations), 1) if durations else None,
        done_with_due=len(lateness),
        done_late=sum(1 for days in lateness if days > 0),
        median_days_late=statistics.median(lateness) if lateness else None,
    )


OUTCOMES = ("helpful", "mixed", "unhelpful", "untested")


def _tally(counts: dict[str, int]) -> AdviceTally:
    return AdviceTally(
        total=sum(counts.get(o, 0) for o in OUTCOMES),
        helpful=counts.get("helpful", 0),
        mixed=counts.get("mixed", 0),
        unhelpful=counts.get("unhelpful", 0),
        untested=counts.get("untested", 0),
    )


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
    return _ranked(
        [
            (
                m,
                m.held,
                f"{m.held} contact{_s(m.held)}"
                + (f", last {format_day(m.last_contact)}" if m.last_contact else ", never in touch"),
            )
            for m in order
        ]
    )


def _rank_by_advice(mentors: list[MentorReview]) -> list[Ranked]:
    """Most helpful advice (all time) first; ties go to the higher helpful share of rated advice."""

    def key(m: MentorReview) -> tuple[int, float, str]:
        record = m.advice_record
        share = record.helpful / record.rated if record.rated else 0.0
        return (-record.helpful, -share, m.name.casefold())

    return _ranked(
        [
            (
                m,
                m.advice_record.helpful,
                f"{m.advice_record.helpful} helpful of {m.advice_record.rated} rated"
                + (f", {m.advice_record.untested} untested" if m.advice_record.untested else ""),
            )
            for m in sorted(mentors, key=key)
        ]
    )


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
            f"the pilot review was due on {format_day(m.pilot_review_on)} ({when}); {m.held} "
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


def _groups(conn: sqlite3.Connection, ctx: _Context) -> list[GroupReview]:
    result = []
    for g in conn.execute("SELECT * FROM mgroup ORDER BY name COLLATE NOCASE"):
        first_at, last_at, held = conn.execute(
            "SELECT min(starts_at), max(starts_at), coalesce(sum(starts_at >= :start), 0) FROM meeting "
            "WHERE group_id = :gid AND status = 'held' AND starts_at <= :now",
            {"gid": g["id"], "start": ctx.start_at, "now": ctx.now_at},
        ).fetchone()
        begin = min(d for d in (_day(g["created_at"], ctx.zone), _day(first_at, ctx.zone)) if d is not None)
        members = conn.execute("SELECT count(*) FROM group_member WHERE group_id = ?", (g["id"],)).fetchone()[0]
        kept = cadence_kept(
            conn,
            ("group_id", g["id"]),
            g["cadence"],
            begin,
            max(ctx.start, begin),
            ctx.today,
            ctx.midnights,
            ctx.now_at,
        )
        counts: dict[str, tuple[int, int]] = {"me": (0, 0), "mentor": (0, 0)}
        for owner, open_count, late in conn.execute(
            "SELECT owner, count(*), coalesce(sum(due_on < :today), 0) FROM followup "
            "WHERE group_id = :group AND status = 'open' GROUP BY owner",
            {"today": ctx.today.isoformat(), "group": g["id"]},
        ):
            counts[owner] = (open_count, late)
        advice = dict(
            conn.execute(
                "SELECT advice.outcome, count(*) FROM advice JOIN meeting ON meeting.id = advice.meeting_id "
                "WHERE meeting.group_id = :group AND advice.given_on >= :since GROUP BY advice.outcome",
                {"group": g["id"], "since": ctx.start.isoformat()},
            ).fetchall()
        )
        review = GroupReview(
            g["id"],
            g["name"],
            members,
            held,
            _day(last_at, ctx.zone),
            kept,
            cadence_words(g["cadence"], g["cadence_label"]),
            _followups(counts["me"][0], counts["me"][1], [], []),
            _followups(counts["mentor"][0], counts["mentor"][1], [], []),
            _tally(advice),
        )
        result.append(review)
    return result


def _ended(conn: sqlite3.Connection, zone: tzinfo, start_at: str) -> list[Ended]:
    rows = conn.execute(
        "SELECT m.id, m.name, sc.changed_at, sc.reason FROM stage_change sc "
        "JOIN mentor m ON m.id = sc.mentor_id WHERE sc.stage = 'ended' AND m.stage = 'ended' "
        "AND sc.changed_at >= ? ORDER BY sc.changed_at",
        (start_at,),
    )
    return [Ended(r["id"], r["name"], _day(r["changed_at"], zone) or date.min, r["reason"]) for r in rows]
