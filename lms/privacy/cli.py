"""``flask privacy retention``: apply the retention periods now and say what went."""

from __future__ import annotations

import click

from lms.extensions import db
from lms.privacy import bp


@bp.cli.command("retention")
def retention_command() -> None:
    """Remove (or anonymise) the records past their retention period."""
    from lms.privacy import retention

    periods = retention.periods()
    counts = retention.apply()
    db.session.commit()
    for kind, days in periods.items():
        if kind in counts:
            click.echo(f"  {kind:<14} kept {days:>5} days   removed {counts[kind]:>7,}")
        else:
            click.echo(f"  {kind:<14} kept for ever")
    click.echo(f"Removed {sum(counts.values()):,} records in all.")
