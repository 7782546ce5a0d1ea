"""The mentoring agreement as a draft (`agreement draft MENTOR`), rendered from the `agreement`
template: what I ask, what they offer, the goals it serves, how often, how long and how we
meet, confidentiality, how we check in and how either side may end it, and a review date.

The values come from the recorded agreement when there is one, else from the relationship as it
stands (the mentor's cadence and first channel, the median length of our held meetings to the
nearest 5 minutes) with a review date six months from today.
"""

from __future__ import annotations

import sqlite3
import statistics
from datetime import date, datetime
from typing import Any

from mentorkit.dates import format_day, parse_date
from mentorkit.domain.agreements import REVIEW_AFTER, get_agreement
from mentorkit.domain.goals import list_goals
from mentorkit.domain.mentors import Mentor
from mentorkit.domain.pitches import mentor_context, profile_context
from mentorkit.domain.profile import Profile
from mentorkit.drafting.wording import natural_join

TEMPLATE = "agreement"
ROLE_OFFERS = {
    "sponsor": "to speak for me where decisions about me are made and I am not in the room",
    "coach": "to work with me on specific skills",
    "connector": "to introduce me to people who can help",
    "advisor": "to give me counsel on decisions and plans",
    "role-model": "to let me learn from the path you have taken",
}


def agreement_context(conn: sqlite3.Connection, now: datetime, me: Profile, mentor: Mentor) -> dict[str, Any]:
    """What the agreement template sees (docs/goals.md lists every variable)."""
    today = now.astimezone(me.zone).date()
    recorded = get_agreement(conn, mentor.id)
    minutes = [
        r[0]
        for r in conn.execute(
            "SELECT minutes FROM meeting WHERE mentor_id = ? AND status = 'held' AND minutes > 0", (mentor.id,)
        )
    ]
    typical = 5 * round(statistics.median(minutes) / 5) if minutes else None  # to the nearest 5 minutes
    length = recorded.minutes if recorded and recorded.minutes else typical
    channel = recorded.channel if recorded and recorded.channel else (mentor.channels[0] if mentor.channels else None)
    cadence = (recorded.cadence_label if recorded else None) or mentor.cadence_label
    review: date = (recorded.review_on if recorded else None) or parse_date(REVIEW_AFTER, today=today)
    goals = [
        {
            "id": g.id,
            "arena": g.arena,
            "text": g.text,
            "by": format_day(g.due_on) if g.due_on else None,
            "measure": g.measure,
            "next_milestone": (
                {"text": m.text, "by": format_day(m.due_on)} if (m := g.next_milestone()) is not None else None
            ),
        }
        for g in list_goals(conn, mentor_id=mentor.id)
    ]
    asks = [me.requests[a] for a in mentor.arenas if me.requests.get(a)]
    offers = [ROLE_OFFERS[r] for r in mentor.roles if r in ROLE_OFFERS]
    return {
        "profile": profile_context(me),
        "mentor": {**mentor_context(mentor), "roles": list(mentor.roles), "cadence": cadence},
        "today": format_day(today),
        "asks": asks,
        "offers": offers,
        "offers_text": natural_join(offers),
        "arenas_text": natural_join(list(mentor.arenas)),
        "goals": goals,
        "meetings": {"cadence": cadence, "minutes": length, "channel": channel},
        "review_on": format_day(review),
        "agreed_on": format_day(recorded.agreed_on) if recorded else None,
        "recorded_text": recorded.text if recorded else None,
    }


def draft_agreement(
    conn: sqlite3.Connection, now: datetime, me: Profile, mentor: Mentor, template: str | None = None
) -> str:
    from mentorkit import drafting

    found = drafting.find(template) if template else drafting.find_named(TEMPLATE)
    return drafting.render_file(found, agreement_context(conn, now, me, mentor))
