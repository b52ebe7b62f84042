"""``flask buddy pair INTAKE [--dry-run] [--confirm]``."""

from __future__ import annotations

from lms.buddy import queries
from lms.buddy.models import BuddyStatus


def test_a_dry_run_prints_the_pairs_and_saves_nothing(app, intake, four):
    result = app.test_cli_runner().invoke(args=["buddy", "pair", intake.name, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "2 group(s); total score" in result.output
    assert "Different organisations" in result.output
    assert "A1" in result.output and "Dry run" in result.output
    assert not queries.groups(intake.id, BuddyStatus.PENDING)


def test_pairing_saves_a_proposal_or_confirms(app, intake, four, lead):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["buddy", "pair", str(intake.id)])
    assert result.exit_code == 0, result.output
    assert len(queries.groups(intake.id, BuddyStatus.PENDING)) == 2
    result = runner.invoke(args=["buddy", "pair", intake.name, "--confirm"])
    assert result.exit_code == 0, result.output
    assert len(queries.groups(intake.id, BuddyStatus.CONFIRMED)) == 2
    again = runner.invoke(args=["buddy", "pair", intake.name])
    assert again.exit_code == 1 and "Everyone in this intake has a buddy" in again.output


def test_an_unknown_intake_is_an_error(app, db):
    result = app.test_cli_runner().invoke(args=["buddy", "pair", "No such intake"])
    assert result.exit_code == 1 and "No intake called" in result.output
