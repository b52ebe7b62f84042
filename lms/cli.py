"""``flask`` commands for what an operator does by hand."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from lms.extensions import db

seed = AppGroup("seed", help="Load data: demo accounts, or a national-scale data set.")


@seed.command("demo")
def seed_demo_command() -> None:
    """Create one demo account per role (idempotent) and print them."""
    from lms.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, seed_demo

    try:
        accounts = seed_demo()
    except RuntimeError as exc:  # the module files have problems: say which, load nothing
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for account in accounts:
        click.echo(f"  {account.role.value:<12} {account.email}")
    click.echo(
        "The admin, lead and supervisor accounts also need a two-factor code: run "
        "`flask totp-code EMAIL` for the current one, or add the key "
        f"{DEMO_TOTP_SECRET} to an authenticator app."
    )
    click.echo(
        "Also (same password): kwame.asante@example.org, a trainee facilitator who has "
        "finished every core module; ten more trainee facilitators in the running intake, "
        "such as dev.sharma@example.org (the demo facilitator's buddy) and "
        "bethan.morgan@example.org. supervisor@example.org runs Group A (and the "
        "completed intake's Autumn group); "
        "supervisor2@example.org has no group yet."
    )
    click.echo(
        "Observed practice: trainee@example.org is in Set 1 (GMTS 2026 cohort A), run by "
        "facilitator@example.org and dev.sharma@example.org, with three sessions held and "
        "three to come; Set 2 (kwame.asante@example.org and bethan.morgan@example.org) has "
        "only booked sessions. Fifteen more GMTS trainees, such as "
        "chloe.adebayo@example.org (same password); five are in no set yet."
    )
    from lms.assessment.demo_data import demo_award

    award = demo_award()
    click.echo(
        "Awards (Completed demo intake, same password): rhiannon.price@example.org is ready "
        "to submit; owen.jenkins@example.org has submitted for review; "
        "daniel.reid@example.org's award was revoked; grace.okafor@example.org holds the award."
    )
    if award is not None:
        click.echo(f"  Verification code: {award.display_code}  ({award.verification_url})")


@seed.command("scale")
@click.option("--factor", type=float, default=1.0, show_default=True, help="Scale every count.")
@click.option("--seed", "seed_value", type=int, default=2026, show_default=True)
def seed_scale_command(factor: float, seed_value: int) -> None:
    """Build a national-scale programme (reproducible: same factor and seed, same data)."""
    import time

    from lms.scale import EXAMPLE_ACCOUNTS, SCALE_PASSWORD, seed_scale

    if factor <= 0:
        raise click.BadParameter("must be more than 0", param_hint="--factor")
    started = time.perf_counter()
    try:
        counts = seed_scale(factor=factor, seed=seed_value)
    except RuntimeError as exc:  # scale data already there, or bad module files
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    elapsed = time.perf_counter() - started
    click.echo(f"Scale data (factor {factor:g}, seed {seed_value}):")
    for table, count in sorted(counts.items()):
        click.echo(f"  {table:<32} {count:>9,}")
    click.echo(f"  {'total':<32} {sum(counts.values()):>9,}")
    click.echo(f"Took {elapsed:.1f} seconds.")
    click.echo(f"Password for every scale account: {SCALE_PASSWORD}")
    click.echo("The admin, leads and supervisors need a code: `flask totp-code EMAIL` prints one.")
    for role, email in EXAMPLE_ACCOUNTS.items():
        click.echo(f"  {role:<12} {email}")


@click.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def create_admin_command(email: str, name: str, password: str) -> None:
    """Create an administrator account, or make an existing account an administrator."""
    from lms.accounts import services
    from lms.accounts.models import Role

    user = services.find_user_by_email(email)
    try:
        if user is None:
            user = services.register_user(email, name, password, roles=(Role.ADMIN,))
            click.echo(f"Created administrator {user.email}")
        else:
            services.grant_role(user, Role.ADMIN, by=None)
            click.echo(f"{user.email} is now an administrator")
    except services.AccountError as exc:
        raise click.ClickException(exc.message) from None
    db.session.commit()


@click.command("totp-code")
@click.argument("email")
@with_appcontext
def totp_code_command(email: str) -> None:
    """For development: print the current two-factor code of an account (a demo one)."""
    import pyotp

    from lms.accounts import services, two_factor

    user = services.find_user_by_email(email)
    record = two_factor.record_for(user) if user is not None else None
    if record is None or record.confirmed_at is None:
        raise click.ClickException(f"{email} has no two-factor authentication set up")
    click.echo(pyotp.TOTP(record.secret).now())


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run an RQ worker for background jobs, inside this app's context."""
    from lms.jobs import make_worker

    try:
        worker = make_worker()
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None
    worker.work(burst=burst, with_scheduler=True)


@click.command("send-reminders")
@with_appcontext
def send_reminders_command() -> None:
    """Run the periodic jobs in lms/schedule.py (reminders). Run it from cron every hour."""
    from lms import jobs
    from lms.schedule import PERIODIC_JOBS

    for name in PERIODIC_JOBS:
        jobs.enqueue(name)
        click.echo(f"Queued {name}" if jobs.queue() is not None else f"Ran {name}")
    db.session.commit()


def register_commands(app: Flask) -> None:
    from lms.buddy.cli import buddy
    from lms.curriculum.cli import content
    from lms.practice.cli import practice

    app.cli.add_command(seed)
    app.cli.add_command(buddy)
    app.cli.add_command(content)
    app.cli.add_command(practice)
    app.cli.add_command(create_admin_command)
    app.cli.add_command(totp_code_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(send_reminders_command)
