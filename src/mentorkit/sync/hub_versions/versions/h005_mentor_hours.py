"""A person's own working hours (store schema 15: mentor.hours_start, mentor.hours_end).

Revision ID: h005
Revises: h004
"""

from __future__ import annotations

from alembic import op

from mentorkit.sync.schema import add_hub_column

revision = "h005"
down_revision = "h004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_hub_column(op, "mentor", "hours_start")
    add_hub_column(op, "mentor", "hours_end")
