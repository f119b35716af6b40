"""Decisions and their contracts: each stored row's record type and, for a contract, its decision.

Rows stored before this revision are decisions (the server default).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _columns() -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns("allocation")}


def upgrade() -> None:
    """Add ``record_type`` (``decision``/``contract``, default ``decision``) and ``parent_reference``."""
    present = _columns()  # a store made by create_all of this schema before migrations existed has them
    if "record_type" not in present:
        op.add_column("allocation", sa.Column("record_type", sa.String(10), nullable=False, server_default="decision"))
    if "parent_reference" not in present:
        op.add_column("allocation", sa.Column("parent_reference", sa.String(100)))


def downgrade() -> None:
    """Drop both columns (contracts then read as decisions: downgrade only a store without contracts)."""
    with op.batch_alter_table("allocation") as batch:
        batch.drop_column("parent_reference")
        batch.drop_column("record_type")
