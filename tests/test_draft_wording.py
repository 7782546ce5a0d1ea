"""The default templates never write a broken sentence, whatever is set and whatever is not.

Each test renders a default template for every combination of present and absent fields and
checks the text with rules that catch the faults people met: an arena name used as the topic of
someone's work ("I know your work on personal."), a dangling "your work.", a clause glued to an
empty value, blank-line pairs, a pitch that ends without a request and a sign-off, and (for the
pitch) the 30-second limit on realistic inputs.
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, date, datetime
from typing import Any

import pytest

from mentorkit.domain.arenas import Arena
from mentorkit.domain.mentors import Mentor
from mentorkit.domain.pitches import measure, pitch_context
from mentorkit.domain.profile import Profile
from mentorkit.drafting import find_named, render_file
from mentorkit.drafting.wording import clause, goal_sentence, letter_body, question, sentence

ARENAS = {"research": 1, "career": 2, "personal": 3, "clinical": 4}
STAMP = datetime(2026, 1, 5, tzinfo=UTC)


def broken_sentences(text: str) -> list[str]:
    """Every rule a sendable draft keeps, as the list of the ones this text breaks."""
    problems = []
    for name, pattern in (
        ("a clause glued to nothing", r" [.,;:?]"),
        ("a doubled stop", r"(?<!\.)\.\.(?!\.)|,,|\?\."),
        ("doubled spaces", r"\S  +\S"),
        ("a dangling 'your work'", r"your (?:work|expertise)(?: (?:on|in|at|from))?\s*[.,?]"),
        ("a value that was not set", r"\bNone\b|\{\{|\}\}|\[\]"),
        ("three line breaks", r"\n\s*\n\s*\n"),
        ("an arena name as a topic", r"(?:work|expertise) (?:on|in) (?:research|career|personal|clinical)\b"),
        ("the old goal phrase", r"My goal in \w+:"),
        ("a sentence starting in lower case", r"[.?!] [a-z]"),
        ("an empty bullet", r"^- *$"),
    ):
        if re.search(pattern, text, flags=re.MULTILINE):
            problems.append(name)
    if text != text.strip() + "\n":
        problems.append("stray space at the start or end")
    return problems


def _mentor(*, title: bool, tags: str, institution: bool, source: bool, hook: bool) -> Mentor:
    tag_sets = {
        "none": [],
        "arena-names-only": ["personal", "clinical", "near-peer"],
        "topics": ["sepsis", "clinical trials", "personal", "K awards"],
    }
    return Mentor(
        id=7,
        uuid="u",
        name="Dr. Grace Kim" if title else "Grace Kim",
        kind="mentor",
        stage="prospect",
        stage_changed_at=STAMP,
        institution="Johns Hopkins" if institution else None,
        source="the SAEM podcast" if source else None,
        hook="i heard your talk on rural sepsis trials at SAEM in May" if hook else None,
        tags=tag_sets[tags],
        arenas=["personal"],
    )


def _profile(*, role: bool, institution: bool, email: bool, story: str, goal: str, arena: str) -> Profile:
    stories = {"general": ("I trained in Chicago and now study sepsis care in rural emergency departments.", {})}
    stories["arena"] = (None, {arena: "i moved from bench science to trials in rural emergency care"})
    general, per_arena = stories[story]
    goals = {"none": {}, "to": {arena: "to lead my first R01-funded trial by 2028."}}
    goals["noun"] = {arena: "Tenure dossier ready by September 2027"}
    return Profile(
        name="Ann Lee",
        role="Assistant Professor of Emergency Medicine" if role else None,
        institution="Riverside University" if institution else None,
        email="ann.lee@riverside.example.edu" if email else None,
        story=general,
        stories=per_arena,
        goals=goals[goal],
        timezone="America/Chicago",
    )


PITCH_FIELDS = {  # the fields; "institution" is yours and theirs, "signature" your role and email
    "arena": ("research", "clinical"),  # a default arena, and one of your own
    "mentor": (False, True),
    "title": (False, True),
    "tags": ("none", "arena-names-only", "topics"),
    "institution": (False, True),
    "source": (False, True),
    "hook": (False, True),
    "story": ("general", "arena"),
    "goal": ("none", "to", "noun"),
    "signature": (False, True),
}


def _pitch_cases() -> list[dict[str, Any]]:
    cases = []
    for values in itertools.product(*PITCH_FIELDS.values()):
        case = dict(zip(PITCH_FIELDS, values, strict=True))
        if not case["mentor"] and (case["title"] or case["tags"] != "none" or case["source"] or case["hook"]):
            continue  # mentor fields only matter with a mentor
        cases.append(case)
    return cases


def test_the_default_pitch_reads_right_for_every_combination_of_fields() -> None:
    template = find_named("pitch", default_only=True)
    failures: list[str] = []
    cases = _pitch_cases()
    assert len(cases) == 2 * 2 * 2 * 3 * 2 * (1 + 2 * 3 * 2 * 2)
    for case in cases:
        me = _profile(
            role=case["signature"],
            institution=case["institution"],
            email=case["signature"],
            story=case["story"],
            goal=case["goal"],
            arena=case["arena"],
        )
        mentor = (
            _mentor(
                title=case["title"],
                tags=case["tags"],
                institution=case["institution"],
                source=case["source"],
                hook=case["hook"],
            )
            if case["mentor"]
            else None
        )
        arena = Arena(ARENAS[case["arena"]], "u", case["arena"], None)
        context = pitch_context(me, arena, mentor, None, date(2026, 11, 25), list(ARENAS))
        text = render_file(template, context)
        problems = broken_sentences(text)
        blocks = text.strip().split("\n\n")
        if mentor:
            expected = "Dear Dr. Kim," if case["title"] else "Dear Grace Kim,"
            if blocks[0] != expected:
                problems.append(f"greeting {blocks[0]!r}")
            if "expertise" in text and (case["hook"] or case["tags"] != "topics"):
                problems.append("the expertise sentence without topics, or beside a hook")
        elif text.startswith("Dear"):
            problems.append("a greeting to nobody")
        sign_off = blocks[-1].splitlines()
        if sign_off[:2] != ["Best wishes,", "Ann Lee"]:
            problems.append("no sign-off with the name")
        if case["signature"] != ("ann.lee@riverside.example.edu" in sign_off):
            problems.append("the email in the sign-off")
        if not re.search(r"[?.]$", blocks[-2]) or not blocks[-2].split(". ")[-1].startswith("Would you have"):
            problems.append("the body does not end with the request")
        for word in (r"personal", r"clinical(?! trials)", r"near-peer", r"podcast"):  # labels, the source
            if re.search(rf"\b{word}\b", text):
                problems.append(f"{word!r} in the text")
        size = measure(text)
        if size.seconds > 28 or size.paragraphs != 2:  # well inside 30 seconds, one or two paragraphs
            problems.append(f"{size.words} words, {size.seconds} s, {size.paragraphs} paragraphs")
        if problems:
            failures.append(f"{case}: {problems}\n{text}")
    assert failures == [], failures[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i heard your talk", "I heard your talk."),
        ("Dr. Wu suggested I write.", "Dr. Wu suggested I write."),
        ("  Was it you?  ", "Was it you?"),
        ("two\nlines,", "Two lines."),
        ("", ""),
    ],
)
def test_sentence(text: str, expected: str) -> None:
    assert sentence(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("to lead a trial by 2028.", "My goal is to lead a trial by 2028."),
        ("Tenure dossier ready by 2027", "My goal: tenure dossier ready by 2027."),
        ("R01 submitted by June", "My goal: R01 submitted by June."),
        ("I want to run a lab", "I want to run a lab."),
        (None, ""),
    ],
)
def test_goal_sentence(text: str | None, expected: str) -> None:
    assert goal_sentence(text) == expected


def test_question_and_clause() -> None:
    assert question("could we talk for 15 minutes") == "Could we talk for 15 minutes?"
    assert question("I would value 15 minutes of your time") == "I would value 15 minutes of your time."
    assert clause("Send the NIH biosketch.") == "send the NIH biosketch"
    assert clause("SAEM abstract") == "SAEM abstract"


def test_letter_body_leaves_out_the_greeting_and_the_sign_off() -> None:
    text = "Dear Dr. Kim,\n\nOne two three.\n\nFour five?\n\nBest wishes,\nAnn Lee\nRole, Place\nann@example.org\n"
    body = letter_body(text)
    assert body.paragraphs == ["One two three.", "Four five?"] and body.words == 5
    assert body.longest_sentence() == ("One two three.", 3)


@pytest.mark.parametrize(
    "text",
    [
        "Dear Dr. Kim,\n\nI'm Ann. I know your work on personal.\n",  # the cases the issue met
        "Dear Dr. Kim,\n\nI'm Ann. I know your work.\n",
        "I'm Ann.\n\nMy goal in personal: to rest.\n",
        "I'm Ann, None at Riverside.\n",
        "I'm Ann. I know your work at .\n",
        "Thanks.\n\n\n\nBest wishes,\nAnn\n",
        "I'm Ann.  I study sepsis.\n",
        "I'm Ann. i study sepsis.\n",
    ],
)
def test_the_rules_catch_the_broken_drafts_people_met(text: str) -> None:
    assert broken_sentences(text)


# ---- the summary ----------------------------------------------------------------------------


def _summary_bases(ok: Any, path: Any) -> dict[str, dict[str, Any]]:
    """Real contexts of a mentor meeting and a group meeting, with every section filled."""
    from mentorkit.domain.meetings import get_meeting
    from mentorkit.domain.profile import get_profile
    from mentorkit.domain.summaries import summary_context
    from mentorkit.store.db import open_store

    ok("profile", "set", "--name", "Ann Lee", "--timezone", "America/Chicago")
    ok("add-mentor", "Dr. Teresa Alvarez", "--timezone", "America/New_York", "--cadence", "monthly")
    ok("add-mentor", "Jo Peer", "--peer", "--email", "jo@example.org")
    ok("group", "add", "Writing circle", "--member", "Jo Peer", "--cadence", "biweekly")
    mentor = ok(
        "log",
        "alvarez",
        "--when",
        "2026-11-24 15:00",
        "--minutes",
        "30",
        "--agenda",
        "aims page; budget",
        "--notes",
        "Aims are too broad.",
        "--advice",
        "cut aim 2",
        "--followup",
        "Send the aims",
        "--json",
    ).json()["meeting"]["id"]
    ok("followup", "add", "alvarez", "Introduce me to the trials unit", "--owner", "mentor", "--meeting", str(mentor))
    group = ok(
        "log",
        "--group",
        "Writing circle",
        "--when",
        "2026-11-20 12:00",
        "--notes",
        "Shared pages.",
        "--followup",
        "Draft the discussion",
        "--json",
    ).json()["meeting"]["id"]
    with open_store(path) as store, store.read() as conn:
        me = get_profile(conn)
        now = datetime(2026, 11, 25, 16, 0, tzinfo=UTC)
        return {
            "mentor": summary_context(conn, now, me, get_meeting(conn, mentor)),
            "group": summary_context(conn, now, me, get_meeting(conn, group)),
        }


SUMMARY_FIELDS = {
    "recipient": ("mentor", "group"),
    "title": (False, True),
    "agenda": ("none", "short", "long"),
    "notes": (False, True),
    "advice": (False, True),
    "mine": (False, True),
    "theirs": (False, True),
    "next": ("none", "planned", "cadence"),
    "kind": ("summary", "agenda"),
}


def test_the_default_summary_reads_right_for_every_combination_of_fields(ok: Any, db_path: Any) -> None:
    import copy

    from mentorkit.domain.summaries import context_line, summary_subject

    bases = _summary_bases(ok, db_path)
    template = find_named("summary", default_only=True)
    failures = []
    rendered = 0
    for values in itertools.product(*SUMMARY_FIELDS.values()):
        case = dict(zip(SUMMARY_FIELDS, values, strict=True))
        if case["recipient"] == "group" and case["title"]:
            continue
        if case["kind"] == "agenda" and (case["notes"] or case["advice"] or case["mine"] or case["theirs"]):
            continue  # an agenda has none of these
        c = copy.deepcopy(bases[case["recipient"]])
        meeting = c["meeting"]
        if c["mentor"] is not None:
            c["recipient"]["name"] = "Dr. Teresa Alvarez" if case["title"] else "Teresa Alvarez"
        items = {"none": [], "short": ["aims page", "K-award budget"]}
        items["long"] = ["the aims page and what reviewers will make of aim 2", "budget", "travel", "hiring"]
        meeting["agenda_items"] = items[case["agenda"]]
        c["context_line"] = context_line(meeting["agenda_items"])
        c["discussion"] = ["Aims are too broad.", "Reviewers want focus."] if case["notes"] else []
        c["advice"] = c["advice"] if case["advice"] else []
        steps = bases["mentor"]["followups"]
        c["my_steps"] = [f for f in steps if f["owner"] == "me"] if case["mine"] else []
        c["their_steps"] = [f for f in steps if f["owner"] != "me"] if case["theirs"] else []
        c["followups"] = c["my_steps"] + c["their_steps"]
        c["kind"] = case["kind"]
        c["subject"] = summary_subject(case["kind"], meeting["mode_label"], meeting["date_text"], bool(c["followups"]))
        nexts = {"none": None, "cadence": c["next_meeting"]}
        nexts["planned"] = {**meeting, "source": "planned", "cadence": None}
        if c["next_meeting"] and c["next_meeting"]["source"] == "planned":
            nexts["cadence"] = {"source": "cadence", "date_text": "Thu 24 Dec 2026", "cadence": "monthly"}
        c["next_meeting"] = nexts[case["next"]]
        text = render_file(template, c)
        rendered += 1
        problems = broken_sentences(text)
        lines = text.splitlines()
        if not lines[0].startswith("Subject: ") or ("next steps" in lines[0]) != bool(c["followups"]):
            problems.append("subject")
        if "next steps" in text.casefold() and not c["followups"]:
            problems.append("'next steps' with none")
        greeting = "Dear all," if case["recipient"] == "group" else "Dear Teresa,"
        if lines[2] != greeting:
            problems.append(f"greeting {lines[2]!r}")
        if "for Teresa" in text:
            problems.append("Teresa named in the third person in a letter to her")
        for n, line in enumerate(lines[:-1]):
            following = next((x for x in lines[n + 1 :] if x.strip()), "")
            heading = line.endswith(":") and not line.startswith("Subject")
            filled = following.startswith("- ") or (
                line == "Next steps:" and following in ("I will:", "You offered to:")
            )
            if heading and not filled:
                problems.append(f"a heading with nothing under it: {line!r}")
        if lines[-2:] != ["Best wishes,", "Ann Lee"]:
            problems.append("sign-off")
        if problems:
            failures.append(f"{case}: {problems}\n{text}")
    assert rendered > 400
    assert failures == [], failures[0]


def test_sentences_do_not_end_at_titles_initials_or_abbreviations() -> None:
    from mentorkit.drafting.wording import sentences

    notes = "She will ask Dr. Wu and J. Smith, e.g. Prof. Lee. Aim 2 is too broad! Is 3 fine? 2 more weeks."
    assert sentences(notes) == [
        "She will ask Dr. Wu and J. Smith, e.g. Prof. Lee.",
        "Aim 2 is too broad!",
        "Is 3 fine?",
        "2 more weeks.",
    ]


def test_plan_says_an_in_person_meeting(ok: Any) -> None:
    ok("add-mentor", "Dr. Teresa Alvarez")
    result = ok("plan", "alvarez", "--when", "2030-01-07 10:00", "--mode", "in-person")
    assert "Planned an in-person meeting with Dr. Teresa Alvarez" in result.stderr
    result = ok("plan", "alvarez", "--when", "2030-01-08 10:00", "--mode", "video")
    assert "Planned a video meeting with" in result.stderr
