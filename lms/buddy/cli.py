"""``flask buddy pair INTAKE``: pair an intake's trainee facilitators from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from lms.extensions import db

buddy = AppGroup("buddy", help="Pair trainee facilitators as buddies.")


def _intake(name_or_id: str):
    from lms.applications.models import Intake

    query = db.select(Intake)
    if name_or_id.isdigit():
        intake = db.session.get(Intake, int(name_or_id))
    else:
        intake = db.session.scalar(query.where(db.func.lower(Intake.name) == name_or_id.lower()))
    if intake is None:
        raise click.ClickException(f"No intake called {name_or_id!r} (give its name or id).")
    return intake


def _lead():
    """Who the command acts as in the audit log: the first lead, or nobody."""
    from lms.accounts.models import Role
    from lms.accounts.queries import people_with

    leads = sorted(people_with(Role.LEAD), key=lambda user: user.id)
    return leads[0] if leads else None


@buddy.command("pair")
@click.argument("intake")
@click.option("--dry-run", is_flag=True, help="Print the pairs; save nothing.")
@click.option("--confirm", is_flag=True, help="Confirm the pairs at once and tell everyone.")
def pair_command(intake: str, dry_run: bool, confirm: bool) -> None:
    """Pair everyone in INTAKE (a name or id) who has no confirmed buddy. The pairs are
    saved as a proposal for a lead to check and confirm in the browser, unless --confirm."""
    from lms.buddy import services
    from lms.buddy.services import REASON_LABELS, BuddyError

    found = _intake(intake)
    try:
        proposal = services.propose(found) if dry_run else services.run_pairing(found, _lead())
    except BuddyError as exc:
        raise click.ClickException(exc.message) from exc
    names = {uid: p.user.name for uid, p in proposal.people.items()}
    for group in proposal.result.groups:
        people = " & ".join(names[uid] for uid in group.members)
        click.echo(f"{group.points:>4}  {people}")
        for link in group.links:
            reasons = "; ".join(
                f"{REASON_LABELS[reason]}" + (f" ({points:+d})" if points else "")
                for reason, points in link.reasons
            )
            prefix = f"{names[link.a]} & {names[link.b]}: " if len(group.links) > 1 else ""
            click.echo(f"        {prefix}{reasons}")
    result = proposal.result
    click.echo(
        f"{len(result.groups)} group(s); total score {result.total}; "
        f"same-organisation links {result.same_organisation}; repeated pairs {result.repeats}."
    )
    if dry_run:
        click.echo("Dry run: nothing was saved.")
        return
    if confirm:
        count = services.confirm(found, _lead())
        click.echo(f"Confirmed {count} group(s); everyone has been told.")
    else:
        click.echo("Saved as a proposal: a lead can check, swap and confirm it in the browser.")
    db.session.commit()
