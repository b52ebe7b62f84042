"""Loading checked module files into the database (``flask content sync``).

``sync_modules`` takes modules that ``content.load_directory`` has already checked, so it
never sees a bad file: the command checks everything first and only then calls this, in
one transaction. A new slug adds a module, a changed file adds a version, a file that is
gone retires its module, and anything else is left alone. Running it twice changes
nothing the second time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from lms import audit
from lms.curriculum.content import ModuleSpec
from lms.curriculum.models import Module, ModuleVersion
from lms.db_types import utcnow
from lms.extensions import db


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    changed: list[tuple[str, int]] = field(default_factory=list)  # slug, new version
    unchanged: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.retired or self.restored)

    def lines(self) -> list[str]:
        lines = [f"  added      {slug} (version 1)" for slug in self.added]
        lines += [f"  changed    {slug} (now version {n})" for slug, n in self.changed]
        lines += [f"  restored   {slug}" for slug in self.restored]
        lines += [f"  retired    {slug}" for slug in self.retired]
        lines += [f"  unchanged  {slug}" for slug in self.unchanged]
        return lines

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.changed)} changed, "
            f"{len(self.unchanged)} unchanged, {len(self.retired)} retired"
            + (f", {len(self.restored)} restored" if self.restored else "")
            + "."
        )


def _version(module_id: int, number: int, spec: ModuleSpec) -> ModuleVersion:
    data = spec.to_json()
    return ModuleVersion(
        module_id=module_id,
        number=number,
        content_hash=spec.content_hash,
        title=spec.title,
        summary=spec.summary,
        position=spec.order,
        is_core=spec.core,
        estimated_minutes=spec.estimated_minutes,
        learning_outcomes=list(spec.learning_outcomes),
        prerequisites=list(spec.prerequisites),
        activities_json=data["activities"],
        pages_json=data["pages"],
        source=spec.source,
    )


def sync_modules(specs: Iterable[ModuleSpec]) -> SyncReport:
    """Bring the modules in the database in line with ``specs`` (already checked)."""
    report = SyncReport()
    existing = {m.slug: m for m in db.session.scalars(db.select(Module))}
    specs = list(specs)
    for spec in specs:
        module = existing.get(spec.slug)
        if module is None:
            module = Module(slug=spec.slug, version=1)
            db.session.add(module)
            db.session.flush()
            db.session.add(_version(module.id, 1, spec))
            report.added.append(spec.slug)
            continue
        if module.retired_at is not None:
            module.retired_at = None
            report.restored.append(spec.slug)
        if module.current.content_hash == spec.content_hash:
            if spec.slug not in report.restored:
                report.unchanged.append(spec.slug)
            continue
        number = module.version + 1
        db.session.add(_version(module.id, number, spec))
        module.version = number
        report.changed.append((spec.slug, number))
    wanted = {spec.slug for spec in specs}
    for slug, module in sorted(existing.items()):
        if slug not in wanted and module.retired_at is None:
            module.retired_at = utcnow()
            report.retired.append(slug)
    db.session.flush()
    # Module.current follows Module.version: load it afresh for anyone reading on.
    for module in existing.values():
        db.session.expire(module, ["current"])
    if report.has_changes:
        audit.record(
            "content.synced",
            added=report.added,
            changed=[f"{slug} v{n}" for slug, n in report.changed],
            retired=report.retired,
            restored=report.restored,
        )
    return report
