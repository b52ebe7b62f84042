"""``flask practice import-trainees FILE``: import GMTS trainees from a CSV file."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from lms.extensions import db

practice = AppGroup("practice", help="GMTS trainees and their action learning sets.")


def _lead():
    """Who the command acts as in the audit log: the first lead, or nobody."""
    from lms.accounts.models import Role
    from lms.accounts.queries import people_with

    leads = sorted(people_with(Role.LEAD), key=lambda user: user.id)
    return leads[0] if leads else None


def _print_report(found) -> None:
    from lms.practice.trainees import Outcome

    for row in found.rejected:
        click.echo(f"Row {row.row}  {row.email or '(no email)'}  REJECTED")
        for reason in row.reasons:
            click.echo(f"        {reason}")
    for planned in found.planned:
        row = planned.trainee
        new = " (new organisation)" if planned.new_organisation else ""
        click.echo(f"Row {row.row}  {row.email}  {row.name}, {row.organisation}{new}")
        click.echo(f"        {planned.description}")
    counts = found.counts
    click.echo(
        f"{found.rows} row(s): {len(found.rejected)} rejected; "
        f"{counts[Outcome.NEW_ACCOUNT]} new account(s), "
        f"{counts[Outcome.ADD_ROLE]} existing account(s) becoming trainees, "
        f"{counts[Outcome.UPDATE]} to update, {counts[Outcome.UNCHANGED]} unchanged; "
        f"{len(found.new_organisations)} new organisation(s)."
    )


@practice.command("import-trainees")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Print the report; import nothing.")
def import_trainees_command(file: Path, dry_run: bool) -> None:
    """Check FILE (a CSV file of GMTS trainees) and print what importing it would do.
    Imports every row, unless any row is rejected (then nothing, and exit code 1) or
    --dry-run is given."""
    from lms.practice import trainees
    from lms.practice.importing import ImportFileError, decode

    content = file.read_bytes()
    try:
        found = trainees.preview(decode(content))
    except ImportFileError as exc:
        raise click.ClickException(exc.message) from None
    if found.problems:
        raise click.ClickException(" ".join(found.problems))
    _print_report(found)
    if found.rejected:
        click.echo("Nothing was imported: fix the rejected rows and run the command again.")
        raise click.exceptions.Exit(1)
    if dry_run:
        click.echo("Dry run: nothing was imported.")
        return
    lead = _lead()
    try:
        import_ = trainees.check_upload(file.name, content, by=lead)
        trainees.apply_import(import_, by=lead)
    except trainees.TraineeImportError as exc:
        db.session.rollback()
        raise click.ClickException(" ".join(exc.messages)) from None
    db.session.commit()
    click.echo(
        f"Imported: {import_.created_count} new, {import_.updated_count} updated, "
        f"{import_.unchanged_count} unchanged."
    )
