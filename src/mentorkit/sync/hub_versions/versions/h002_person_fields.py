"""A person's title and profile URL (store schema 11) on the hub.

Revision ID: h002
Revises: h001
"""

from __future__ import annotations

from alembic import op

from mentorkit.sync.schema import add_hub_column

revision = "h002"
down_revision = "h001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_hub_column(op, "mentor", "title")
    add_hub_column(op, "mentor", "profile_url")
