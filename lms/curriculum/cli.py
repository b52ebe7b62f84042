"""``flask content check`` and ``flask content sync``: load module files into the database."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from lms.extensions import db

content = AppGroup("content", help="Check and load the training modules in content/modules.")

path_option = click.option(
    "--path",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The folder of module files (default: the CONTENT_DIR setting).",
)


def _folder(path: Path | None) -> Path:
    return path or Path(current_app.config["CONTENT_DIR"])


def _report_problems(errors) -> None:
    click.echo(f"Problems found; nothing was changed ({len(errors)} file(s)):", err=True)
    for error in errors:
        for problem in error.problems:
            click.echo(f"  {error.source}: {problem}", err=True)


@content.command("check")
@path_option
def check_command(path: Path | None) -> None:
    """Read and check every module file; change nothing."""
    from lms.curriculum.content import load_directory

    modules, errors = load_directory(_folder(path))
    if errors:
        _report_problems(errors)
        raise SystemExit(1)
    for module in modules:
        click.echo(
            f"  {module.order:>3}  {module.slug:<40} {'core' if module.core else 'optional':<8}"
            f" {module.words:>6} words, {len(module.activities)} activities"
        )
    click.echo(f"{len(modules)} module(s) checked: no problems.")


@content.command("sync")
@path_option
@click.option("--dry-run", is_flag=True, help="Say what would change, and change nothing.")
def sync_command(path: Path | None, dry_run: bool) -> None:
    """Check every module file, then load all the changes into the database, or none."""
    from lms.curriculum.content import load_directory
    from lms.curriculum.sync import sync_modules

    modules, errors = load_directory(_folder(path))
    if errors:
        _report_problems(errors)
        raise SystemExit(1)
    report = sync_modules(modules)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    for line in report.lines():
        click.echo(line)
    click.echo(("Dry run: nothing was changed. " if dry_run else "") + report.summary())
