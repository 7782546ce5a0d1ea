"""The rules of `followups` (docs/daily-loop.md), each at its boundary.

Today is Wednesday 25 November 2026 in Chicago; without --all the list holds what is due
within 7 days, so the horizon day is Wednesday 2 December.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine

from rules_helpers import ZONE, Day

TODAY = "2026-11-25 12:00"
HORIZON = "2026-12-02"


@pytest.fixture
def day(ok):
    with time_machine.travel(datetime(2026, 1, 1, tzinfo=UTC), tick=False) as traveller:
        d = Day(ok, traveller)
        d.at("2026-06-01 09:00")
        ok("profile", "set", "--name", "Maya Okafor", "--timezone", ZONE)
        yield d


def due(day: Day, *args: str) -> list[dict]:
    return day.json("followups", *args)


def of_kind(day: Day, kind: str, *args: str) -> dict[str, dict]:
    return {i["mentor"] or i["group"]: i for i in due(day, *args) if i["kind"] == kind}


# ---- action items --------------------------------------------------------------------------


def test_an_action_due_on_the_horizon_day_is_listed_and_the_day_after_is_not(day) -> None:
    day.mentor("Teresa Alvarez", "--stage", "active", on="2026-11-01 09:00")
    day.at(TODAY)
    day.ok("followup", "add", "teresa", "On the horizon", "--due", HORIZON)
    day.ok("followup", "add", "teresa", "Just beyond", "--due", "2026-12-03")
    listed = [i["what"].split(" (#")[0] for i in due(day)]
    assert listed == ["On the horizon"]
    assert due(day)[0]["days_late"] == -7
    assert len(due(day, "--all")) == 2


def test_within_zero_days_keeps_what_is_due_today(day) -> None:
    day.mentor("Teresa Alvarez", "--stage", "active", on="2026-11-01 09:00")
    day.at(TODAY)
    day.ok("followup", "add", "teresa", "Today", "--due", "today")
    day.ok("followup", "add", "teresa", "Tomorrow", "--due", "tomorrow")
    day.ok("followup", "add", "teresa", "Last week", "--due", "2026-11-18")
    rows = due(day, "--within", "0")
    assert [(r["what"].split(" (#")[0], r["days_late"]) for r in rows] == [("Last week", 7), ("Today", 0)]


# ---- check-ins -----------------------------------------------------------------------------


def test_a_check_in_due_on_the_horizon_day_is_listed_and_the_day_after_is_not(day) -> None:
    day.mentor("Teresa Alvarez", "--stage", "active", "--cadence", "monthly", on="2026-09-01 09:00")
    day.mentor("James Whitfield", "--stage", "active", "--cadence", "monthly")
    day.contact("teresa", "2026-11-02 10:00")  # monthly: due 2 December, the horizon
    day.contact("james", "2026-11-03 10:00")  # due 3 December
    day.at(TODAY)
    check_ins = of_kind(day, "check-in")
    assert list(check_ins) == ["Teresa Alvarez"]
    assert (check_ins["Teresa Alvarez"]["due"], check_ins["Teresa Alvarez"]["days_late"]) == (HORIZON, -7)
    assert of_kind(day, "check-in", "--within", "8")["James Whitfield"]["due"] == "2026-12-03"


@pytest.mark.parametrize("status", ["cancelled", "missed"])
def test_a_meeting_that_did_not_happen_is_not_a_contact(day, status) -> None:
    day.mentor("Teresa Alvarez", "--stage", "active", "--cadence", "monthly", on="2026-09-01 09:00")
    day.contact("teresa", "2026-10-01 10:00")
    day.planned_then("teresa", "2026-11-20 10:00", status)
    day.at(TODAY)
    item = of_kind(day, "check-in")["Teresa Alvarez"]
    assert item["due"] == "2026-11-01" and item["days_late"] == 24
    assert "(monthly; last contact Thu 1 Oct 2026)" in item["what"]


def test_an_email_exchange_is_a_contact(day) -> None:
    day.mentor("Teresa Alvarez", "--stage", "active", "--cadence", "weekly", on="2026-09-01 09:00")
    day.contact("teresa", "2026-10-01 10:00")
    day.contact("teresa", "2026-11-24 10:00", "--mode", "email")
    day.at(TODAY)
    assert of_kind(day, "check-in", "--within", "5") == {}
    assert of_kind(day, "check-in")["Teresa Alvarez"]["due"] == "2026-12-01"


@pytest.mark.parametrize("status", ["cancelled", "missed"])
def test_a_meeting_that_will_not_happen_does_not_stand_in_for_a_check_in(day, status) -> None:
    """Weekly, last contact on the 20th: due the 27th. A meeting planned for the 26th answers it
    (w12's rule and the old one agree on a meeting before the due date); once cancelled, not."""
    day.mentor("Teresa Alvarez", "--stage", "active", "--cadence", "weekly", on="2026-09-01 09:00")
    day.contact("teresa", "2026-11-20 10:00")
    day.at(TODAY)
    meeting = day.ok("plan", "teresa", "--when", "2026-11-26 10:00", "--agenda", "Aims page").stdout.strip()
    assert of_kind(day, "check-in") == {}
    if status == "missed":
        day.at("2026-11-26 11:00")
    day.ok("meetings", "mark", meeting, status)
    item = of_kind(day, "check-in")["Teresa Alvarez"]
    assert item["due"] == "2026-11-27"


def test_show_and_followups_agree_on_whether_a_check_in_is_late(day) -> None:
    """docs/daily-loop.md: a planned meeting no more than one cadence period away answers the
    check-in; a later one leaves it standing. `show` says the same as the list, both ways."""
    day.mentor("Teresa Alvarez", "--stage", "active", "--cadence", "weekly", on="2026-09-01 09:00")
    day.contact("teresa", "2026-11-10 10:00")  # due the 17th: 8 days late today
    day.at(TODAY)
    far = day.ok("plan", "teresa", "--when", "2027-01-13 10:00").stdout.strip()
    assert of_kind(day, "check-in")["Teresa Alvarez"]["days_late"] == 8
    shown = day.json("show", "teresa")
    assert (shown["next_check_in"], shown["check_in_days_late"], shown["check_in_planned"]) == ("2026-11-17", 8, None)
    assert "next check-in  Tue 17 Nov 2026 (8 days late)" in day.ok("show", "teresa").stdout
    near = day.ok("plan", "teresa", "--when", "2026-12-02 10:00").stdout.strip()  # within a week of today
    assert of_kind(day, "check-in") == {}
    shown = day.json("show", "teresa")
    assert (shown["check_in_days_late"], shown["check_in_planned"]) == (None, int(near))
    page = day.ok("show", "teresa").stdout
    assert f"next check-in  meeting #{near}, planned for Wed 2 Dec 2026" in page and "late" not in page
    day.ok("meetings", "mark", near, "cancelled")
    assert of_kind(day, "check-in")["Teresa Alvarez"]["meeting_id"] == int(far)
    assert day.json("show", "teresa")["check_in_days_late"] == 8


@pytest.mark.parametrize(
    ("stage", "listed"), [("pilot", True), ("active", True), ("paused", False), ("prospect", False)]
)
def test_check_ins_are_for_active_and_pilot_mentors(day, stage, listed) -> None:
    day.mentor("Samuel Osei", "--stage", stage, "--cadence", "biweekly", on="2026-10-01 09:00")
    day.at(TODAY)
    check_ins = of_kind(day, "check-in")
    assert ("Samuel Osei" in check_ins) is listed
    if listed:  # no contact yet: counted from when they became active or pilot
        assert check_ins["Samuel Osei"]["due"] == "2026-10-15"
        assert "no contact yet" in check_ins["Samuel Osei"]["what"]


# ---- preparation ---------------------------------------------------------------------------


def test_an_agenda_of_only_blank_space_is_not_an_agenda(day, tmp_path: Path) -> None:
    """The CLI strips agendas; a file from elsewhere (or an edited export) may hold blank ones."""
    day.mentor("Teresa Alvarez", "--stage", "active", on="2026-11-01 09:00")
    day.at(TODAY)
    blank = day.ok("plan", "teresa", "--when", "tomorrow 10:00", "--agenda", "placeholder").stdout.strip()
    written = day.ok("plan", "teresa", "--when", "friday 10:00", "--agenda", "1. Budget").stdout.strip()
    export = tmp_path / "board.json"
    day.ok("export", "--format", "json", "-o", str(export))
    data = json.loads(export.read_text())
    for meeting in data["tables"]["meetings"]:
        if str(meeting["id"]) == blank:
            meeting["agenda"] = " \n\t "
    export.write_text(json.dumps(data))
    other = str(tmp_path / "moved" / "mentorkit.db")
    day.ok("--db", other, "import", str(export))
    prepare = [i for i in day.json("--db", other, "followups") if i["kind"] == "prepare"]
    assert [i["meeting_id"] for i in prepare] == [int(blank)]
    assert int(written) not in [i["meeting_id"] for i in prepare]


# ---- pilot reviews -------------------------------------------------------------------------


def test_a_pilot_review_due_on_the_horizon_day_is_listed_and_not_before_it_comes_within(day) -> None:
    day.mentor("Samuel Osei", "--stage", "pilot", "--pilot-weeks", "1", on=TODAY)  # review on 2 December
    reviews = of_kind(day, "pilot-review")
    assert reviews["Samuel Osei"]["due"] == HORIZON and reviews["Samuel Osei"]["days_late"] == -7
    assert of_kind(day, "pilot-review", "--within", "5") == {}
    day.at("2026-12-02 08:00")
    assert of_kind(day, "pilot-review", "--within", "0")["Samuel Osei"]["days_late"] == 0


# ---- whose item is it ----------------------------------------------------------------------


def test_items_name_their_mentor_or_group_and_no_one_else(day) -> None:
    """Two mentors and two groups: each item names the one it belongs to."""
    day.mentor("Teresa Alvarez", "--stage", "active", "--cadence", "monthly", on="2026-09-01 09:00")
    day.mentor("James Whitfield", "--stage", "active", on="2026-09-01 09:00")
    day.ok("group", "add", "Writing circle", "--member", "Ana Peer", "--cadence", "monthly")
    day.ok("group", "add", "Grant club", "--member", "Bo Peer")
    day.contact("teresa", "2026-10-01 10:00")
    day.at("2026-11-24 09:00")
    day.ok("log", "--group", "Grant club", "--when", "2026-11-24 08:00", "--followup", "Circulate the aims")
    day.at(TODAY)
    day.ok("followup", "add", "james", "Read the dossier guide", "--due", "tomorrow")
    day.ok("plan", "james", "--when", "tomorrow 10:00")
    day.ok("plan", "--group", "Grant club", "--when", "tomorrow 15:00")
    rows = [(i["kind"], i["mentor"], i["group"]) for i in due(day)]
    assert sorted(rows, key=str) == sorted(
        [
            ("check-in", "Teresa Alvarez", None),  # due 1 November
            ("check-in", None, "Writing circle"),  # monthly, no meeting yet
            ("summary", None, "Grant club"),
            ("action", None, "Grant club"),
            ("action", "James Whitfield", None),
            ("prepare", "James Whitfield", None),
            ("prepare", None, "Grant club"),
        ],
        key=str,
    )


def test_a_meeting_planned_with_someone_else_does_not_stand_in_for_a_check_in(day) -> None:
    day.mentor("Teresa Alvarez", "--stage", "active", "--cadence", "weekly", on="2026-09-01 09:00")
    day.mentor("James Whitfield", "--stage", "active", "--cadence", "weekly", on="2026-09-01 09:00")
    day.contact("teresa", "2026-11-20 10:00")
    day.contact("james", "2026-11-20 10:00")
    day.at(TODAY)
    day.ok("plan", "james", "--when", "2026-11-26 10:00", "--agenda", "Dossier")
    assert list(of_kind(day, "check-in")) == ["Teresa Alvarez"]


def test_a_summary_is_owed_from_the_moment_a_contact_is_logged(day) -> None:
    day.mentor("Teresa Alvarez", "--stage", "active", on="2026-09-01 09:00")
    day.at(TODAY)
    meeting = int(day.ok("log", "teresa", "--notes", "Aims page").stdout)  # now, to the second
    summaries = of_kind(day, "summary")
    assert summaries["Teresa Alvarez"]["meeting_id"] == meeting
    assert summaries["Teresa Alvarez"]["due"] == "2026-11-26"


@pytest.mark.parametrize("status", ["cancelled", "missed"])
def test_a_meeting_that_did_not_happen_owes_no_summary_and_needs_no_agenda(day, status) -> None:
    day.mentor("Teresa Alvarez", "--stage", "active", on="2026-09-01 09:00")
    day.planned_then("teresa", "2026-11-24 10:00", status)
    day.at(TODAY)
    tomorrow = day.ok("plan", "teresa", "--when", "tomorrow 10:00").stdout.strip()
    assert [i["kind"] for i in due(day)] == ["prepare"]
    day.ok("meetings", "mark", tomorrow, "cancelled")
    assert due(day) == []


def test_a_summary_older_than_thirty_days_is_listed_with_all(day) -> None:
    day.mentor("Teresa Alvarez", "--stage", "active", on="2026-09-01 09:00")
    meeting = day.contact("teresa", "2026-10-01 10:00")
    day.at(TODAY)
    assert [i["meeting_id"] for i in due(day, "--all") if i["kind"] == "summary"] == [meeting]


def test_the_line_under_the_list_counts_the_older_summaries_still_owed(day) -> None:
    """docs/daily-loop.md: summaries owed for meetings over 30 days old are counted in a line
    under the list; one already sent is not owed."""
    day.mentor("Teresa Alvarez", "--stage", "active", on="2026-09-01 09:00")
    day.contact("teresa", "2026-10-01 10:00")
    day.contact("teresa", "2026-10-05 10:00")
    sent = day.contact("teresa", "2026-10-08 10:00")
    day.ok("summary", str(sent), "--mark-sent")
    day.contact("teresa", "2026-11-20 10:00")  # owed, but listed: not counted in the line
    day.at(TODAY)
    shown = day.ok("followups")
    assert "2 summaries owed for meetings over 30 days old" in shown.stdout + shown.stderr


def test_followups_of_one_group_list_that_groups_check_in_only(day) -> None:
    """`followups --group G`: only this group's items (a group's check-in comes round by its cadence)."""
    day.mentor("Teresa Alvarez", "--stage", "active", on="2026-09-01 09:00")
    day.mentor("James Whitfield", "--stage", "active", on="2026-09-01 09:00")
    day.ok("group", "add", "Writers", "--member", "teresa", "--cadence", "monthly")
    day.ok("group", "add", "Grant club", "--member", "james", "--cadence", "monthly")
    day.at(TODAY)
    assert sorted(of_kind(day, "check-in")) == ["Grant club", "Writers"]
    assert list(of_kind(day, "check-in", "--group", "Writers")) == ["Writers"]
    assert list(of_kind(day, "check-in", "--group", "Grant club")) == ["Grant club"]


@pytest.mark.parametrize(
    ("planned", "listed"),
    [
        (["2026-12-01 10:00", "2027-03-01 10:00"], False),  # the nearest one is within a period
        (["2027-03-01 10:00"], True),  # only one further out: the item names it
        (["2026-11-20 10:00"], True),  # its time has passed: it never stands for a check-in
        (["2026-11-20 10:00", "2027-03-01 10:00"], True),
    ],
)
def test_a_groups_planned_meeting_stands_for_its_check_in_only_when_close(day, planned, listed) -> None:
    """docs/daily-loop.md, "What satisfies a check-in", for a group: the Writers (monthly) last met
    on 1 October, so their check-in came on 1 November; today is 25 November."""
    day.mentor("Teresa Alvarez", "--stage", "active", on="2026-09-01 09:00")
    day.mentor("James Whitfield", "--stage", "active", on="2026-09-01 09:00")
    day.ok("group", "add", "Writers", "--member", "teresa", "--cadence", "monthly")
    day.ok("group", "add", "Grant club", "--member", "james", "--cadence", "monthly")
    day.at("2026-11-19 09:00")
    day.ok("log", "--group", "Writers", "--when", "2026-10-01 10:00")
    day.ok("log", "--group", "Grant club", "--when", "2026-11-10 10:00")
    day.ok("plan", "--group", "Grant club", "--when", "2026-12-02 10:00")
    ids = {when: int(day.ok("plan", "--group", "Writers", "--when", when).stdout) for when in planned}
    day.at(TODAY)
    items = of_kind(day, "check-in")
    assert ("Writers" in items) is listed
    if "2027-03-01 10:00" in ids and listed:
        assert f"bring meeting #{ids['2027-03-01 10:00']} forward" in items["Writers"]["what"]


def test_a_group_item_may_be_owed_by_a_member_of_that_group(day) -> None:
    """`followup add --group G TEXT --owner MEMBER`: the member is looked up among G's members."""
    day.mentor("Teresa Alvarez", "--stage", "active", on="2026-09-01 09:00")
    day.mentor("James Whitfield", "--stage", "active", on="2026-09-01 09:00")
    day.ok("group", "add", "Writers", "--member", "teresa")
    day.ok("group", "add", "Grant club", "--member", "james")
    day.at(TODAY)
    day.ok("followup", "add", "--group", "Grant club", "Send the budget", "--owner", "james")
    items = [i for i in due(day, "--all", "--group", "Grant club") if i["kind"] != "check-in"]
    assert ["Send the budget" in i["what"] for i in items] == [True]


def test_a_pilot_made_active_has_no_pilot_review(day) -> None:
    day.mentor("Samuel Osei", "--stage", "pilot", "--pilot-weeks", "1", on="2026-11-10 09:00")
    day.at(TODAY)
    assert list(of_kind(day, "pilot-review")) == ["Samuel Osei"]
    day.ok("stage", "samuel", "active")
    assert of_kind(day, "pilot-review") == {}


def test_show_lists_the_mentors_own_open_follow_ups_due_soonest(day) -> None:
    day.mentor("Teresa Alvarez", "--stage", "active", on="2026-09-01 09:00")
    day.mentor("James Whitfield", "--stage", "active", on="2026-09-01 09:00")
    day.at(TODAY)
    for n in range(12):
        day.ok("followup", "add", "teresa", f"Item {n}", "--due", f"2026-12-{n + 1:02}")
    done = day.ok("followup", "add", "teresa", "Done already", "--due", "2026-11-20").stdout.strip()
    day.ok("followup", "done", done)
    day.ok("followup", "add", "james", "Not hers", "--due", "2026-11-20")
    page = day.json("show", "teresa")
    assert [f["text"] for f in page["followups"]] == [f"Item {n}" for n in range(10)]
    assert page["followups_total"] == 12


# ---- more boundaries -----------------------------------------------------------------------


def test_preparation_looks_two_days_ahead(day) -> None:
    day.mentor("Teresa Alvarez", "--stage", "active", on="2026-09-01 09:00")
    day.at(TODAY)
    inside = int(day.ok("plan", "teresa", "--when", "2026-11-27 11:00").stdout)  # 47 hours ahead
    day.ok("plan", "teresa", "--when", "2026-11-27 13:00")  # 49 hours ahead
    assert [i["meeting_id"] for i in of_kind(day, "prepare").values()] == [inside]


def test_a_group_meeting_that_did_not_happen_is_not_a_contact(day) -> None:
    day.ok("group", "add", "Writing circle", "--member", "Ana Peer", "--cadence", "monthly")
    day.at("2026-10-01 11:00")
    day.ok("log", "--group", "Writing circle", "--when", "2026-10-01 10:00")
    day.at("2026-11-19 10:00")
    meeting = day.ok("plan", "--group", "Writing circle", "--when", "2026-11-20 10:00").stdout.strip()
    day.at("2026-11-20 11:00")
    day.ok("meetings", "mark", meeting, "cancelled")
    day.at(TODAY)
    item = of_kind(day, "check-in")["Writing circle"]
    assert item["due"] == "2026-11-01" and "last contact Thu 1 Oct 2026" in item["what"]


@pytest.mark.parametrize(("text", "problem"), [("   ", "cannot be empty"), ("x" * 5_001, "the limit is 5000")])
def test_a_follow_up_needs_text_of_at_most_5000_characters(day, cli, text, problem) -> None:
    day.mentor("Teresa Alvarez", "--stage", "active", on="2026-09-01 09:00")
    day.at(TODAY)
    result = cli("followup", "add", "teresa", text)
    assert result.exit_code == 1 and problem in result.stderr
    day.ok("followup", "add", "teresa", "y" * 5_000)
    assert [len(i["what"].split(" (#")[0]) for i in due(day)] == [5_000]


def test_a_cancelled_group_meeting_does_not_stand_in_for_its_check_in(day) -> None:
    day.ok("group", "add", "Writing circle", "--member", "Ana Peer", "--cadence", "weekly")
    day.at("2026-11-20 11:00")
    day.ok("log", "--group", "Writing circle", "--when", "2026-11-20 10:00")
    day.at(TODAY)
    meeting = day.ok("plan", "--group", "Writing circle", "--when", "2026-11-26 10:00").stdout.strip()
    assert of_kind(day, "check-in") == {}
    day.ok("meetings", "mark", meeting, "cancelled")
    assert of_kind(day, "check-in")["Writing circle"]["due"] == "2026-11-27"


def test_a_summary_due_on_the_horizon_day_is_listed_and_the_day_after_is_not(day) -> None:
    day.mentor("Teresa Alvarez", "--stage", "active", on="2026-09-01 09:00")
    yesterday = day.contact("teresa", "2026-11-24 10:00")  # due today
    day.contact("teresa", "2026-11-25 09:00")  # due tomorrow
    day.at(TODAY)
    assert [i["meeting_id"] for i in due(day, "--within", "0") if i["kind"] == "summary"] == [yesterday]


def test_group_check_ins_count_from_the_latest_meeting_and_need_a_cadence(day) -> None:
    day.ok("group", "add", "Writing circle", "--member", "Ana Peer", "--cadence", "monthly")
    day.ok("group", "add", "Grant club", "--member", "Bo Peer")  # no cadence: never a check-in
    for when in ("2026-09-01 10:00", "2026-10-01 10:00"):
        day.at(when.replace("10:00", "11:00"))
        day.ok("log", "--group", "Writing circle", "--when", when)
        day.ok("log", "--group", "Grant club", "--when", when)
    day.at(TODAY)
    check_ins = of_kind(day, "check-in")
    assert list(check_ins) == ["Writing circle"]
    assert check_ins["Writing circle"]["due"] == "2026-11-01"


# ---- found by the full mutation run of domain/followups.py -----------------------------------


def test_a_group_item_is_mine_the_whole_groups_or_one_members(day) -> None:
    """docs/board.md: `followup add --group G TEXT [--owner me|group|MEMBER]`; a member's item is
    kept with the group and the member, so it shows in `followups --group G` and in
    `followups --mentor MEMBER`."""
    day.mentor("James Whitfield", "--stage", "active", on="2026-09-01 09:00")
    day.mentor("Ana Peer", "--stage", "active", on="2026-09-01 09:00")
    day.ok("group", "add", "Grant club", "--member", "james", "--member", "ana")
    day.at(TODAY)
    for text, owner in (("Book the room", "me"), ("Read the call", "group"), ("Send the budget", "james")):
        day.ok("followup", "add", "--group", "Grant club", text, "--owner", owner, "--due", "tomorrow")
    actions = [i for i in due(day, "--group", "Grant club") if i["kind"] == "action"]
    assert sorted((i["what"].split(" (#")[0], i["owner"], i["mentor"], i["group"]) for i in actions) == [
        ("Book the room", "me", None, "Grant club"),
        ("waiting on them (Grant club): Send the budget", "mentor", "James Whitfield", "Grant club"),
        ("waiting on them: Read the call", "mentor", None, "Grant club"),
    ]
    assert [i["what"].split(" (#")[0] for i in due(day, "--mentor", "james")] == [
        "waiting on them (Grant club): Send the budget"
    ]
    assert due(day, "--mentor", "ana") == []


def test_a_summary_is_listed_for_thirty_days_then_counted_under_the_list(day) -> None:
    """docs/daily-loop.md: a meeting held in the last 30 days owes a listed summary; older ones are
    left to `--all` and counted in a line under the list. 29 days and 31 days (30 days and 18 hours)
    before today's noon fall on either side however the 30 days are counted. A meeting that did not
    happen owes none, however old."""
    day.mentor("Teresa Alvarez", "--stage", "active", on="2026-09-01 09:00")
    day.planned_then("teresa", "2026-10-01 10:00", "cancelled")
    day.planned_then("teresa", "2026-10-02 10:00", "missed")
    old = day.contact("teresa", "2026-10-25 18:00")
    recent = day.contact("teresa", "2026-10-27 10:00")
    day.at(TODAY)
    assert [i["meeting_id"] for i in due(day) if i["kind"] == "summary"] == [recent]
    shown = day.ok("followups")
    assert "1 summary owed for meetings over 30 days old" in shown.stdout + shown.stderr
    assert sorted(i["meeting_id"] for i in due(day, "--all") if i["kind"] == "summary") == [old, recent]


def test_a_meeting_is_still_to_come_at_the_second_it_starts(day) -> None:
    """docs/daily-loop.md: a planned meeting no more than a cadence period away stands for the
    check-in; once its time has passed it raises a `record` item instead and never stands for one.
    At the second it starts its time has not passed yet; a second later it has."""
    day.mentor("Teresa Alvarez", "--stage", "active", "--cadence", "weekly", on="2026-09-01 09:00")
    day.ok("group", "add", "Writers", "--member", "Ana Peer", "--cadence", "weekly")
    day.contact("teresa", "2026-11-10 10:00")
    day.ok("log", "--group", "Writers", "--when", "2026-11-10 10:00")
    day.at("2026-11-24 12:00")
    meeting = int(day.ok("plan", "teresa", "--when", "2026-11-25 12:00").stdout)
    group_meeting = int(day.ok("plan", "--group", "Writers", "--when", "2026-11-25 12:00").stdout)

    def pending() -> list[tuple[str, str]]:
        return sorted((i["kind"], i["mentor"] or i["group"]) for i in due(day) if i["kind"] in ("check-in", "record"))

    day.at(TODAY)  # 12:00:00: both meetings start now
    assert pending() == []
    assert day.json("show", "teresa")["check_in_planned"] == meeting
    day.at("2026-11-25 12:00:01")
    assert pending() == [
        ("check-in", "Teresa Alvarez"),
        ("check-in", "Writers"),
        ("record", "Teresa Alvarez"),
        ("record", "Writers"),
    ]
    assert {i["meeting_id"] for i in due(day) if i["kind"] == "record"} == {meeting, group_meeting}


def test_remind_leaves_summaries_over_thirty_days_old_to_followups_all(day) -> None:
    """docs/reminders.md: `remind` is `followups` cut to what cannot wait, and `followups` leaves
    the summaries owed for meetings over 30 days old to `--all` (docs/daily-loop.md)."""
    day.mentor("Teresa Alvarez", "--stage", "active", on="2026-09-01 09:00")
    day.contact("teresa", "2026-10-01 10:00")
    recent = day.contact("teresa", "2026-11-20 10:00")
    day.at(TODAY)
    digest = day.json("remind")
    assert [i["meeting_id"] for i in digest["overdue"] + digest["due_today"] if i["kind"] == "summary"] == [recent]


def test_a_check_in_names_the_mentors_own_next_meeting_to_come(day) -> None:
    """docs/daily-loop.md: a planned meeting further than a cadence period away leaves the check-in
    standing and named in it; a meeting whose time has passed, or someone else's, is not named."""
    day.mentor("Teresa Alvarez", "--stage", "active", "--cadence", "weekly", on="2026-09-01 09:00")
    day.mentor("James Whitfield", "--stage", "active", on="2026-09-01 09:00")
    day.contact("teresa", "2026-11-10 10:00")
    day.planned_then("teresa", "2026-11-20 10:00", None)  # not recorded yet: a `record` item
    day.at(TODAY)
    day.ok("plan", "james", "--when", "2026-12-01 10:00")
    far = int(day.ok("plan", "teresa", "--when", "2027-01-13 10:00").stdout)
    item = of_kind(day, "check-in")["Teresa Alvarez"]
    assert item["meeting_id"] == far
    assert item["what"].startswith(f"check in, or bring meeting #{far} forward: it is planned only for Wed 13 Jan 2027")
    assert day.json("show", "teresa")["check_in_planned"] is None


def test_only_a_pilot_with_a_review_date_has_a_pilot_review(day, tmp_path: Path) -> None:
    """docs/daily-loop.md: a `pilot-review` item comes when a pilot's review date has come. The
    commands give every pilot a date and clear it when the stage changes; a file from elsewhere (or
    an edited export) may hold a pilot without one, or an active mentor still carrying one."""
    day.mentor("Samuel Osei", "--stage", "pilot", on="2026-09-01 09:00")
    day.mentor("Teresa Alvarez", "--stage", "active", on="2026-09-01 09:00")
    day.at(TODAY)
    export = tmp_path / "board.json"
    day.ok("export", "--format", "json", "-o", str(export))
    data = json.loads(export.read_text())
    for mentor in data["tables"]["mentors"]:
        mentor["pilot_review_on"] = None if mentor["stage"] == "pilot" else "2026-11-20"
    export.write_text(json.dumps(data))
    other = str(tmp_path / "moved" / "mentorkit.db")
    day.ok("--db", other, "import", str(export))
    for args in ((), ("--all",)):
        assert [i for i in day.json("--db", other, "followups", *args) if i["kind"] == "pilot-review"] == []


def test_a_groups_check_in_names_its_next_meeting_that_will_happen(day) -> None:
    """docs/daily-loop.md: a planned meeting further than a cadence period away leaves the check-in
    standing and named in it; a cancelled meeting is never upcoming (and is not named)."""
    day.ok("group", "add", "Writers", "--member", "Ana Peer", "--cadence", "monthly")
    day.at("2026-10-01 11:00")
    day.ok("log", "--group", "Writers", "--when", "2026-10-01 10:00")
    day.at(TODAY)
    cancelled = day.ok("plan", "--group", "Writers", "--when", "2026-12-01 10:00").stdout.strip()
    far = int(day.ok("plan", "--group", "Writers", "--when", "2027-03-01 10:00").stdout)
    day.ok("meetings", "mark", cancelled, "cancelled")
    item = of_kind(day, "check-in")["Writers"]
    assert (item["due"], item["meeting_id"]) == ("2026-11-01", far)
    assert f"bring meeting #{far} forward: it is planned only for Mon 1 Mar 2027" in item["what"]
