"""Follow-ups: action items, and the one list of what needs doing now.

`due_items` merges eight kinds, most urgent first (overdue, then by due date):
- action: open action items, mine or the mentor's.
- check-in: a mentor (active or pilot) or group with a cadence whose next date, counted from the
  last contact of any mode (a logged email counts), has come. A planned meeting satisfies it only
  when it is no more than one cadence period away (its day on or before the next cadence date
  counted from today); a later one leaves the item standing and named in it.
- record: a planned meeting whose time has passed: was it held, cancelled or missed? Due on its
  day; it leaves when the meeting is marked or logged. It never satisfies a check-in.
- summary: a meeting held in the last 30 days (any age with --all) whose written summary was
  not sent. Email and text exchanges are written already and owe none. `older_summaries` counts
  the ones the 30 days leave out, for the list to say so.
- prepare: a planned meeting in the next 2 days with no agenda.
- pilot-review: a pilot whose review date has come: make them active, extend, or end.
- milestone, agreement: a goal's milestone, or an agreement's review, whose date has come
  (domain/plan_items.py).

Dates are days in the profile's zone; `days_late` is the calendar difference from today there.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from functools import lru_cache

from mentorkit.cadences import cadence_words
from mentorkit.clock import date_from_db, from_db, to_db
from mentorkit.dates import format_day, format_moment
from mentorkit.domain.common import LAST_CONTACT_SQL, WRITTEN_MODES_SQL, choice, clean_text, new_uuid
from mentorkit.errors import InvalidInput, NotFound

OWNERS = ("me", "mentor")
KINDS = ("record", "action", "check-in", "summary", "prepare", "pilot-review", "milestone", "agreement")
DEFAULT_WITHIN = 7
SUMMARY_AGE = timedelta(days=30)
PREPARE_AHEAD = timedelta(days=2)


@dataclass
class Followup:
    id: int
    uuid: str
    text: str
    owner: str
    status: str
    due_on: date | None
    mentor_id: int | None
    mentor: str | None
    group_id: int | None
    group: str | None
    meeting_id: int | None
    created_at: datetime
    done_at: datetime | None
    goal_id: int | None = None  # the goal it serves


_SELECT = (
    "SELECT followup.*, mentor.name AS mentor_name, mgroup.name AS group_name FROM followup "
    "LEFT JOIN mentor ON mentor.id = followup.mentor_id LEFT JOIN mgroup ON mgroup.id = followup.group_id"
)

_MEETINGS = (
    "SELECT meeting.id, meeting.starts_at, meeting.mentor_id, meeting.group_id, mentor.name AS mentor_name, "
    "mgroup.name AS group_name FROM meeting LEFT JOIN mentor ON mentor.id = meeting.mentor_id "
    "LEFT JOIN mgroup ON mgroup.id = meeting.group_id"
)
"""Meetings with the names of whom they are with (the record, summary and prepare items)."""


def _row(r: sqlite3.Row) -> Followup:
    return Followup(
        id=r["id"],
        uuid=r["uuid"],
        text=r["text"],
        owner=r["owner"],
        status=r["status"],
        due_on=date_from_db(r["due_on"]),
        mentor_id=r["mentor_id"],
        mentor=r["mentor_name"],
        group_id=r["group_id"],
        group=r["group_name"],
        meeting_id=r["meeting_id"],
        created_at=from_db(r["created_at"]),  # type: ignore[arg-type]
        done_at=from_db(r["done_at"]),
        goal_id=r["goal_id"],
    )


def add_followup(
    conn: sqlite3.Connection,
    now: datetime,
    *,
    text: str,
    due: date | None = None,
    owner: str = "me",
    mentor_id: int | None = None,
    group_id: int | None = None,
    meeting_id: int | None = None,
) -> int:
    body = clean_text(text, "the follow-up text", limit=5_000, required=True)
    who = choice(owner, OWNERS, "owner")
    if mentor_id is None and group_id is None:
        raise InvalidInput("a follow-up belongs to a mentor or a group")
    if meeting_id is not None and conn.execute("SELECT 1 FROM meeting WHERE id = ?", (meeting_id,)).fetchone() is None:
        raise NotFound(f"no meeting with id {meeting_id}; see `mentorkit meetings --past`")
    stamp = to_db(now)
    cursor = conn.execute(
        "INSERT INTO followup (uuid, text, owner, due_on, status, mentor_id, group_id, meeting_id, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?)",
        (new_uuid(), body, who, due.isoformat() if due else None, mentor_id, group_id, meeting_id, stamp, stamp),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def group_item_owner(conn: sqlite3.Connection, group_id: int, owner: str | None) -> tuple[str, int | None]:
    """(owner, mentor_id) of a group's action item: `me` is mine; `group` (or `mentor`) is one I
    wait on from the whole group; a member's name or id is that member's (kept with the group and
    the member: it shows in `followups --group` and `followups --mentor MEMBER` alike)."""
    from mentorkit.domain.groups import GroupRef, resolve_member

    text = (owner or "me").strip()
    if text.lower() == "me":
        return "me", None
    if text.lower() in ("group", "mentor", "all", "them"):
        return "mentor", None
    row = conn.execute("SELECT id, uuid, name, cadence, cadence_label FROM mgroup WHERE id = ?", (group_id,)).fetchone()
    if row is None:
        raise NotFound(f"no group with id {group_id}; see `mentorkit groups`")
    member = resolve_member(conn, GroupRef(*row), text)
    return "mentor", member.id


def get_followup(conn: sqlite3.Connection, followup_id: int | str) -> Followup:
    text = str(followup_id).strip().lstrip("#")
    if not text.isdecimal():
        raise InvalidInput(f"{followup_id!r} is not a follow-up id; see `mentorkit followups --all`")
    row = conn.execute(f"{_SELECT} WHERE followup.id = ?", (int(text),)).fetchone()
    if row is None:
        raise NotFound(f"no follow-up with id {text}; see `mentorkit followups --all`")
    return _row(row)


def close_followup(conn: sqlite3.Connection, now: datetime, followup_id: int | str, status: str) -> Followup:
    """Mark an action item done or dropped."""
    item = get_followup(conn, followup_id)
    new = choice(status, ("done", "dropped"), "follow-up status")
    if item.status != "open":
        raise InvalidInput(f"follow-up {item.id} is already {item.status}")
    conn.execute(
        "UPDATE followup SET status = ?, done_at = ?, updated_at = ? WHERE id = ?",
        (new, to_db(now) if new == "done" else None, to_db(now), item.id),
    )
    return get_followup(conn, item.id)


def followups_for(
    conn: sqlite3.Connection,
    *,
    mentor_id: int | None = None,
    meeting_id: int | None = None,
    status: str | None = "open",
    limit: int | None = None,
) -> list[Followup]:
    """Follow-ups, the ones due soonest first (undated last); at most `limit` when given."""
    where: list[str] = []
    params: list[object] = []
    if mentor_id is not None:
        where.append("followup.mentor_id = ?")
        params.append(mentor_id)
    if meeting_id is not None:
        where.append("followup.meeting_id = ?")
        params.append(meeting_id)
    if status is not None:
        where.append("followup.status = ?")
        params.append(status)
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY followup.due_on IS NULL, followup.due_on, followup.id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [_row(r) for r in conn.execute(sql, params)]


@dataclass
class DueItem:
    kind: str
    what: str
    due: date | None
    days_late: int | None
    mentor: str | None = None
    mentor_id: int | None = None
    group: str | None = None
    group_id: int | None = None
    owner: str | None = None
    followup_id: int | None = None
    meeting_id: int | None = None
    goal_id: int | None = None

    @property
    def with_whom(self) -> str:
        return self.mentor or self.group or ""


def _late(due: date | None, today: date) -> int | None:
    return None if due is None else (today - due).days


def due_items(
    conn: sqlite3.Connection,
    now: datetime,
    zone: tzinfo,
    *,
    within: int | None = None,
    show_all: bool = False,
    mentor_id: int | None = None,
    group_id: int | None = None,
) -> list[DueItem]:
    """Everything that needs doing, most urgent first. Without `show_all`, only items due within
    `within` days (default 7; overdue included) and undated action items. `mentor_id` keeps a
    person's items (a group item they own included); `group_id` a group's."""
    from mentorkit.domain.plan_items import plan_items

    today = now.astimezone(zone).date()
    horizon = None if show_all else today + timedelta(days=DEFAULT_WITHIN if within is None else within)
    if within is not None and within < 0:
        raise InvalidInput("--within needs a number of days of 0 or more")
    items: list[DueItem] = []
    who = ("mentor_id", mentor_id) if mentor_id is not None else ("group_id", group_id)
    items += _records(conn, now, zone, today, who)
    items += _actions(conn, today, horizon, who)
    items += _check_ins(conn, now, zone, today, horizon, mentor_id, group_id)
    items += _summaries(conn, now, zone, today, horizon, who, show_all)
    items += _preparation(conn, now, zone, today, who)
    if group_id is None:
        items += _pilot_reviews(conn, today, horizon, mentor_id)
        items += plan_items(conn, today, horizon, mentor_id)
    items.sort(key=lambda i: (i.due is None, i.due or today, KINDS.index(i.kind), i.with_whom.casefold()))
    return items


Who = tuple[str, int | None]
"""("mentor_id", id) or ("group_id", id): whose items a list keeps (an id of None: everyone's)."""


def _only(who: Who, table: str) -> tuple[str, list[object]]:
    column, key = who
    assert column in ("mentor_id", "group_id")
    return ("", []) if key is None else (f" AND {table}.{column} = ?", [key])


def _actions(conn: sqlite3.Connection, today: date, horizon: date | None, who: Who) -> list[DueItem]:
    sql = _SELECT + " WHERE followup.status = 'open'"
    params: list[object] = []
    if horizon is not None:
        sql += " AND (followup.due_on IS NULL OR followup.due_on <= ?)"
        params.append(horizon.isoformat())
    where, more = _only(who, "followup")
    sql += where
    params += more
    result = []
    for r in conn.execute(sql, params):
        f = _row(r)
        if f.owner == "me":
            what = f"{f.text} (#{f.id})"
        elif f.group and f.mentor:  # a member's item in a group
            what = f"waiting on them ({f.group}): {f.text} (#{f.id})"
        else:
            what = f"waiting on them: {f.text} (#{f.id})"
        result.append(
            DueItem(
                "action",
                what,
                f.due_on,
                _late(f.due_on, today),
                f.mentor,
                f.mentor_id,
                f.group,
                f.group_id,
                f.owner,
                followup_id=f.id,
                meeting_id=f.meeting_id,
            )
        )
    return result


# `+starts_at`: ordering by the column itself lets SQLite walk every future planned meeting in
# start order (meeting_status_start) for each mentor, 66 ms on the reference store; the `+` makes
# it read that mentor's own (meeting_mentor_start) and sort the few: 1.6 ms.
_CHECK_IN_MENTORS = (
    f"SELECT id, name, cadence, cadence_label, stage_changed_at, {LAST_CONTACT_SQL} AS last, "
    "(SELECT min(starts_at) FROM meeting WHERE mentor_id = mentor.id AND status = 'planned' AND starts_at >= :now) "
    "AS planned, (SELECT id FROM meeting WHERE mentor_id = mentor.id AND status = 'planned' "
    "AND starts_at >= :now ORDER BY +starts_at, id LIMIT 1) AS planned_id "
    "FROM mentor WHERE cadence IS NOT NULL AND stage IN ('active', 'pilot')"
)


def _check_ins(
    conn: sqlite3.Connection,
    now: datetime,
    zone: tzinfo,
    today: date,
    horizon: date | None,
    mentor_id: int | None,
    group_id: int | None = None,
) -> list[DueItem]:
    result = []
    sql = _CHECK_IN_MENTORS
    params: dict[str, object] = {"now": to_db(now)}
    if mentor_id is not None:
        sql += " AND id = :mentor"
        params["mentor"] = mentor_id
    for r in conn.execute(sql, params) if group_id is None else ():
        item = _check_in(r, now, zone, today, horizon)
        if item:
            item.mentor, item.mentor_id = r["name"], r["id"]
            result.append(item)
    if mentor_id is None:
        for r in conn.execute(
            "SELECT id, name, cadence, cadence_label, created_at AS stage_changed_at, "
            "(SELECT max(starts_at) FROM meeting WHERE group_id = mgroup.id AND status = 'held') AS last, "
            "(SELECT min(starts_at) FROM meeting WHERE group_id = mgroup.id AND status = 'planned' "
            "AND starts_at >= :now) AS planned, (SELECT id FROM meeting WHERE group_id = mgroup.id "
            "AND status = 'planned' AND starts_at >= :now ORDER BY +starts_at, id LIMIT 1) AS planned_id "
            "FROM mgroup WHERE cadence IS NOT NULL AND (:group IS NULL OR id = :group)",
            {"now": to_db(now), "group": group_id},
        ):
            item = _check_in(r, now, zone, today, horizon)
            if item:
                item.group, item.group_id = r["name"], r["id"]
                result.append(item)
    return result


@lru_cache(maxsize=4096)  # the list asks it once per mentor for the same `now`
def check_in_due(cadence: str, last: datetime, zone: tzinfo) -> date:
    """The day a check-in falls due: the next cadence date after the last contact (or, before any
    contact, after the relationship started), as a day in `zone`."""
    from mentorkit.dates import next_occurrence

    return next_occurrence(cadence, last.astimezone(zone)).date()


def planned_in_window(cadence: str, planned: datetime, now: datetime, zone: tzinfo) -> bool:
    """Whether a planned meeting is close enough to stand for a check-in: its day is on or before
    the next cadence date counted from now (one cadence period away at most)."""
    return planned.astimezone(zone).date() <= check_in_due(cadence, now, zone)


@dataclass(frozen=True)
class CheckIn:
    """A mentor's or group's check-in as the list sees it."""

    due: date
    planned_id: int | None  # the next planned meeting, if any
    planned_on: datetime | None
    answered: bool  # that meeting is close enough to stand for the check-in: no item is listed


def _check_in_state(r: sqlite3.Row, now: datetime, zone: tzinfo) -> CheckIn:
    base = from_db(r["last"]) if r["last"] else from_db(r["stage_changed_at"])
    assert base is not None
    planned = from_db(r["planned"]) if r["planned"] else None
    answered = planned is not None and planned_in_window(r["cadence"], planned, now, zone)
    return CheckIn(check_in_due(r["cadence"], base, zone), r["planned_id"], planned, answered)


def mentor_check_in(conn: sqlite3.Connection, now: datetime, zone: tzinfo, mentor_id: int) -> CheckIn | None:
    """One mentor's check-in by the rule of the list (`show` says what `followups` lists); None
    when the mentor has no cadence or is neither active nor a pilot."""
    row = conn.execute(_CHECK_IN_MENTORS + " AND id = :mentor", {"now": to_db(now), "mentor": mentor_id}).fetchone()
    return None if row is None else _check_in_state(row, now, zone)


def _check_in(
    r: sqlite3.Row,
    now: datetime,
    zone: tzinfo,
    today: date,
    horizon: date | None,
) -> DueItem | None:
    state = _check_in_state(r, now, zone)
    due = state.due
    if horizon is not None and due > horizon:
        return None
    if state.answered:
        return None
    last = from_db(r["last"]) if r["last"] else None
    since = f"last contact {format_day(last.astimezone(zone).date())}" if last else "no contact yet"
    why = f"({cadence_words(r['cadence'], r['cadence_label'])}; {since})"
    what = f"check in {why}"
    if state.planned_on is not None:  # said first: a line cut to fit still shows why the plan does not count
        day = format_day(state.planned_on.astimezone(zone).date())
        what = f"check in, or bring meeting #{r['planned_id']} forward: it is planned only for {day} {why}"
    return DueItem("check-in", what, due, _late(due, today), meeting_id=r["planned_id"])


def _records(conn: sqlite3.Connection, now: datetime, zone: tzinfo, today: date, who: Who) -> list[DueItem]:
    """Planned meetings whose time has passed: say whether they were held, cancelled or missed."""
    sql = _MEETINGS + " WHERE meeting.status = 'planned' AND meeting.starts_at < ?"
    params: list[object] = [to_db(now)]
    where, more = _only(who, "meeting")
    sql += where
    params += more
    result = []
    for r in conn.execute(sql, params):
        start = from_db(r["starts_at"])
        assert start is not None
        day = start.astimezone(zone).date()
        result.append(
            DueItem(
                "record",
                f"record meeting #{r['id']} of {format_moment(start, zone)}: held, cancelled or missed? "
                f"`mentorkit meetings mark {r['id']} held`",
                day,
                _late(day, today),
                r["mentor_name"],
                r["mentor_id"],
                r["group_name"],
                r["group_id"],
                meeting_id=r["id"],
            )
        )
    return result


def _summaries(
    conn: sqlite3.Connection,
    now: datetime,
    zone: tzinfo,
    today: date,
    horizon: date | None,
    who: Who,
    show_all: bool,
) -> list[DueItem]:
    sql = (
        _MEETINGS + " WHERE meeting.status = 'held' "
        f"AND meeting.summary_sent_at IS NULL AND meeting.mode NOT IN {WRITTEN_MODES_SQL} AND meeting.starts_at <= ?"
    )
    params: list[object] = [to_db(now)]
    if not show_all:
        sql += " AND meeting.starts_at >= ?"
        params.append(to_db(now - SUMMARY_AGE))
    where, more = _only(who, "meeting")
    sql += where
    params += more
    result = []
    for r in conn.execute(sql, params):
        held = from_db(r["starts_at"]).astimezone(zone).date()  # type: ignore[union-attr]
        due = held + timedelta(days=1)
        if horizon is not None and due > horizon:
            continue
        result.append(
            DueItem(
                "summary",
                f"send the summary of meeting #{r['id']} ({format_day(held)}): mentorkit summary {r['id']}",
                due,
                _late(due, today),
                r["mentor_name"],
                r["mentor_id"],
                r["group_name"],
                r["group_id"],
                meeting_id=r["id"],
            )
        )
    return result


def older_summaries(conn: sqlite3.Connection, now: datetime, mentor_id: int | None = None) -> int:
    """How many summaries are still owed for meetings held more than 30 days ago (the list
    leaves them to `--all`, and says how many there are)."""
    sql = (
        "SELECT count(*) FROM meeting WHERE status = 'held' AND summary_sent_at IS NULL "
        f"AND mode NOT IN {WRITTEN_MODES_SQL} AND starts_at < ?"
    )
    params: list[object] = [to_db(now - SUMMARY_AGE)]
    if mentor_id is not None:
        sql += " AND mentor_id = ?"
        params.append(mentor_id)
    return int(conn.execute(sql, params).fetchone()[0])


def _preparation(conn: sqlite3.Connection, now: datetime, zone: tzinfo, today: date, who: Who) -> list[DueItem]:
    sql = (
        _MEETINGS + " WHERE meeting.status = 'planned' "
        "AND meeting.starts_at BETWEEN ? AND ? AND (meeting.agenda IS NULL OR trim(meeting.agenda, char(32, 9, 10, 13)) = '')"
    )
    params: list[object] = [to_db(now), to_db(now + PREPARE_AHEAD)]
    where, more = _only(who, "meeting")
    sql += where
    params += more
    result = []
    for r in conn.execute(sql, params):
        start = from_db(r["starts_at"]).astimezone(zone)  # type: ignore[union-attr]
        result.append(
            DueItem(
                "prepare",
                f"write an agenda for meeting #{r['id']} ({format_moment(start, zone)})",
                start.date(),
                _late(start.date(), today),
                r["mentor_name"],
                r["mentor_id"],
                r["group_name"],
                r["group_id"],
                meeting_id=r["id"],
            )
        )
    return result


def _pilot_reviews(conn: sqlite3.Connection, today: date, horizon: date | None, mentor_id: int | None) -> list[DueItem]:
    sql = "SELECT id, name, pilot_review_on FROM mentor WHERE stage = 'pilot' AND pilot_review_on IS NOT NULL"
    params: list[object] = []
    if horizon is not None:
        sql += " AND pilot_review_on <= ?"
        params.append(horizon.isoformat())
    if mentor_id is not None:
        sql += " AND id = ?"
        params.append(mentor_id)
    result = []
    for r in conn.execute(sql, params):
        due = date.fromisoformat(r["pilot_review_on"])
        result.append(
            DueItem(
                "pilot-review",
                f"review the pilot: `stage {r['id']} active`, extend with `edit {r['id']} --pilot-weeks N`, "
                f"or `end {r['id']} --reason ...`",
                due,
                _late(due, today),
                r["name"],
                r["id"],
            )
        )
    return result
