"""IATI transactions stored with the version they were published in.

One row per transaction in euros of an IATI file (``etl.iati_map.transactions_frame``), written
in the same transaction as the version's allocation rows. Versions published before this
revision, and every version of a file without transactions, have none.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``iati_transaction`` (unless a store made by ``create_all`` of this schema already has it)."""
    if "iati_transaction" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "iati_transaction",
        sa.Column("version_id", sa.Integer, sa.ForeignKey("version.id"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("line", sa.Integer),
        sa.Column("reference", sa.String(100), nullable=False),
        sa.Column("record_type", sa.String(10), nullable=False),
        sa.Column("transaction_type", sa.Text),
        sa.Column("date", sa.Date),
        sa.Column("value_eur", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    """Drop the table (the versions' transactions are lost; their allocation rows are kept)."""
    op.drop_table("iati_transaction")
