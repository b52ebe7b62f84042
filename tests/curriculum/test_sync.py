"""``flask content sync``: idempotent, versioned, all or nothing, and plain about what it did."""

from __future__ import annotations

import pytest

from lms.audit import AuditEvent
from lms.curriculum import queries
from lms.curriculum.models import Module, ModuleVersion
from tests.curriculum.conftest import BASICS, EXTRA, MODULES, NEXT_STEPS, write_modules


def versions(db) -> dict[str, list[int]]:
    rows = db.session.execute(
        db.select(Module.slug, ModuleVersion.number)
        .join(ModuleVersion, ModuleVersion.module_id == Module.id)
        .order_by(Module.slug, ModuleVersion.number)
    )
    found: dict[str, list[int]] = {}
    for slug, number in rows:
        found.setdefault(slug, []).append(number)
    return found


def test_a_first_sync_adds_every_module_at_version_1(db, content_dir, sync):
    report = sync(content_dir)
    assert sorted(report.added) == ["basics", "extra", "next-steps"]
    assert report.summary() == "3 added, 0 changed, 0 unchanged, 0 retired."
    assert versions(db) == {"basics": [1], "extra": [1], "next-steps": [1]}
    modules = queries.current_modules()
    assert [m.slug for m in modules] == ["basics", "next-steps", "extra"]
    assert modules[0].current.title == "The basics"
    assert modules[1].current.prerequisites == ["basics"]
    assert modules[0].current.pages["origins"].html.startswith("<p>Reg Revans")


def test_syncing_again_changes_nothing(db, content_dir, sync):
    sync(content_dir)
    events = db.session.scalar(db.select(db.func.count()).select_from(AuditEvent))
    report = sync(content_dir)
    assert report.added == report.changed == report.retired == []
    assert sorted(report.unchanged) == ["basics", "extra", "next-steps"]
    assert not report.has_changes
    assert versions(db) == {"basics": [1], "extra": [1], "next-steps": [1]}
    # No change, no audit entry.
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)) == events


def test_a_changed_file_becomes_a_new_version_and_the_old_one_is_kept(db, content_dir, sync):
    sync(content_dir)
    write_modules(
        content_dir,
        {**MODULES, "01-basics.md": BASICS.replace("title: The basics", "title: The very basics")},
    )
    report = sync(content_dir)
    assert report.changed == [("basics", 2)]
    assert sorted(report.unchanged) == ["extra", "next-steps"]
    assert versions(db)["basics"] == [1, 2]
    basics = queries.module_by_slug("basics")
    assert basics.version == 2 and basics.current.title == "The very basics"
    old = db.session.scalar(
        db.select(ModuleVersion).where(
            ModuleVersion.module_id == basics.id, ModuleVersion.number == 1
        )
    )
    assert old.title == "The basics"
    entry = db.session.scalar(
        db.select(AuditEvent)
        .where(AuditEvent.action == "content.synced")
        .order_by(AuditEvent.id.desc())
    )
    assert entry.detail["changed"] == ["basics v2"]


def test_a_removed_file_retires_its_module_and_putting_it_back_restores_it(db, content_dir, sync):
    sync(content_dir)
    write_modules(content_dir, {"01-basics.md": BASICS, "02-next-steps.md": NEXT_STEPS})
    report = sync(content_dir)
    assert report.retired == ["extra"]
    assert [m.slug for m in queries.current_modules()] == ["basics", "next-steps"]
    assert queries.module_by_slug("extra") is None
    write_modules(content_dir, MODULES)
    report = sync(content_dir)
    assert report.restored == ["extra"] and report.changed == []
    assert [m.slug for m in queries.current_modules()] == ["basics", "next-steps", "extra"]


@pytest.fixture
def cli(app):
    return app.test_cli_runner()


def test_the_command_reports_added_changed_and_unchanged(db, cli, content_dir):
    result = cli.invoke(args=["content", "sync", "--path", str(content_dir)])
    assert result.exit_code == 0, result.output
    assert "added      basics (version 1)" in result.output
    assert "3 added, 0 changed, 0 unchanged, 0 retired." in result.output
    write_modules(content_dir, {**MODULES, "03-extra.md": EXTRA.replace("Further", "More")})
    result = cli.invoke(args=["content", "sync", "--path", str(content_dir)])
    assert "changed    extra (now version 2)" in result.output
    assert "unchanged  basics" in result.output
    assert "0 added, 1 changed, 2 unchanged, 0 retired." in result.output


def test_a_bad_file_is_named_with_its_problem_and_nothing_is_loaded(db, cli, content_dir):
    write_modules(
        content_dir,
        {**MODULES, "03-extra.md": EXTRA.replace("core: false", "core: perhaps")},
    )
    result = cli.invoke(args=["content", "sync", "--path", str(content_dir)])
    assert result.exit_code == 1
    assert "modules/03-extra.md: 'core' must be true" in result.output
    assert "nothing was changed" in result.output
    # The two good files were not loaded either: all or nothing.
    assert db.session.scalar(db.select(db.func.count()).select_from(Module)) == 0


def test_a_bad_file_after_a_good_sync_leaves_every_module_as_it_was(db, cli, content_dir, sync):
    sync(content_dir)
    write_modules(
        content_dir,
        {
            "01-basics.md": BASICS.replace("The basics", "Changed basics"),
            "02-next-steps.md": NEXT_STEPS.replace("pass_mark: 100", "pass_mark: lots"),
            "03-extra.md": EXTRA,
        },
    )
    result = cli.invoke(args=["content", "sync", "--path", str(content_dir)])
    assert result.exit_code == 1
    assert "modules/02-next-steps.md: activities[2] (knowledge_check 'quiz'):" in result.output
    assert versions(db) == {"basics": [1], "extra": [1], "next-steps": [1]}
    assert queries.module_by_slug("basics").current.title == "The basics"


def test_a_dry_run_says_what_would_change_and_changes_nothing(db, cli, content_dir):
    result = cli.invoke(args=["content", "sync", "--dry-run", "--path", str(content_dir)])
    assert result.exit_code == 0
    assert "Dry run: nothing was changed. 3 added" in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Module)) == 0


def test_check_lists_the_modules_or_the_problems(cli, content_dir):
    result = cli.invoke(args=["content", "check", "--path", str(content_dir)])
    assert result.exit_code == 0
    assert "3 module(s) checked: no problems." in result.output
    write_modules(content_dir, {"01-basics.md": BASICS.replace("slug: basics", "slug: x y")})
    result = cli.invoke(args=["content", "check", "--path", str(content_dir)])
    assert result.exit_code == 1
    assert "modules/01-basics.md: slug: 'x y' is not a valid key" in result.output
