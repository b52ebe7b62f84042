"""Organisations, accounts (one password hash for all), the programme team and the
intakes, with each intake's place in time: completed, running or open for applications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lms.accounts.models import Organisation, Region, Role, Sector, User, UserRole
from lms.accounts.two_factor import TwoFactor
from lms.applications.models import DeliveryMode, Intake
from lms.scale.bulk import Context, at, days

FIRST_NAMES = (  # noqa: SIM905 - a word list reads better as words
    "Aisha Alex Amir Anna Aled Bethan Callum Carys Chloe Daniel Dev Efua Elin Ewan Fatima "
    "Freya Gareth George Grace Hamza Hannah Harriet Isla Jack James Joseph Kwame Leah "
    "Liam Lowri Lucy Megan Mohammed Niamh Nia Olivia Omar Owen Priya Rachel Ravi Rhys "
    "Rhiannon Samira Sian Sophie Tariq Tomos Yusuf Zainab Zara"
).split()
LAST_NAMES = (  # noqa: SIM905 - a word list reads better as words
    "Adebayo Ahmed Ali Asante Begum Campbell Carter Chen Cohen Davies Desai Doyle Edwards "
    "Evans Fraser Grant Hughes Iqbal Jenkins Jones Khan Lewis Lloyd Mensah Morgan Murphy "
    "Nair Nowak Okafor Okoro Osei Patel Price Rahman Rees Reid Roberts Robertson Shah "
    "Sharma Singh Smith Taylor Thomas Turner Walker Whitaker Williams Wilson Wright Young"
).split()
PLACES = (  # noqa: SIM905 - a word list reads better as words
    "Northgate Riverside Westbrook Eastfield Southmoor Kingsway Ashford Beacon Brookvale "
    "Castleton Deanfield Elmstead Fairhaven Glenmoor Harbourside Highcliffe Lakeside "
    "Meadowbank Oakridge Parkside Queensway Redhill Seacroft Stonebridge Thornbury Valley "
    "Woodlands Yarrow Millbrook Ferndale"
).split()
SECTOR_WORDS = {
    Sector.ACUTE: "Hospitals NHS Foundation Trust",
    Sector.COMMUNITY: "Community Health NHS Trust",
    Sector.MENTAL_HEALTH: "Mental Health NHS Trust",
    Sector.PRIMARY_CARE: "Primary Care Network",
    Sector.ICB: "Integrated Care Board",
    Sector.SOCIAL_CARE: "Adult Social Care",
    Sector.OTHER: "Health and Care Partnership",
}
PROGRAMME_DAYS = 240  # an intake's programme: training, supervision and sets, start to end
INTAKE_GAP_DAYS = 120  # three intakes a year


@dataclass
class IntakeInfo:
    id: int
    number: int
    name: str
    kind: str  # "completed", "running" or "open"
    starts_on: date
    opens_on: date
    closes_on: date

    @property
    def ends_on(self) -> date:
        return self.starts_on + days(PROGRAMME_DAYS)

    @property
    def gmts_cohort(self) -> str:
        return f"GMTS scale cohort {self.number:02d}"


def programme_period(intake: Intake) -> tuple[date, date]:
    """The days an intake's programme runs (its sets meet only within them)."""
    return intake.programme_starts_on, intake.programme_starts_on + days(PROGRAMME_DAYS)


def add_user(
    ctx: Context,
    email: str,
    roles: tuple[Role, ...],
    organisation: dict | None,
    joined,
    **extra,
) -> int:
    """An account with the shared password hash, its roles and a made-up name."""
    rng = ctx.rng
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    needs = rng.random()
    user_id = ctx.add(
        User,
        email=email,
        name=name,
        password_hash=ctx.shared["password_hash"],
        personal_email=None,
        language="cy" if rng.random() < 0.1 else "en",
        needs_captions=needs < 0.03,
        needs_extra_processing_time=0.03 <= needs < 0.06,
        needs_low_stimulation=0.06 <= needs < 0.08,
        access_notes=None,
        organisation_id=organisation["id"] if organisation else None,
        is_active=True,
        created_at=joined,
        last_login_at=None,
        **extra,
    )
    ctx.shared["user_rows"][user_id] = ctx.rows[User.__tablename__][-1]
    for role in roles:
        ctx.add(UserRole, user_id=user_id, role=role, granted_at=joined, granted_by_id=None)
    ctx.shared["names"][user_id] = name
    return user_id


def build_organisations(ctx: Context) -> None:
    count = ctx.scaled(150, minimum=len(Sector))
    sectors, regions = list(Sector), list(Region)
    organisations = []
    for n in range(count):
        # Every sector and region appears, then the rest at random.
        sector = sectors[n] if n < len(sectors) else ctx.rng.choice(sectors)
        region = regions[n] if n < len(regions) else ctx.rng.choice(regions)
        name = f"{PLACES[n % len(PLACES)]} {SECTOR_WORDS[sector]} (scale {n + 1:03d})"
        org_id = ctx.add(
            Organisation,
            name=name,
            sector=sector,
            region=region,
            ods_code=None,
            created_at=ctx.now - days(2_500),
        )
        organisations.append({"id": org_id, "sector": sector, "region": region})
    ctx.shared["organisations"] = organisations


# The scale admin, leads and supervisors have two-factor on (their roles need it), all
# with this published secret: `flask totp-code EMAIL` prints a code.
SCALE_TOTP_SECRET = "SCALEALSFACILITATORPROGRAMME2345"  # noqa: S105 - published, scale data only


def build_staff(ctx: Context) -> None:
    """The admin, leads, supervisors and reviewers."""
    joined = ctx.now - days(2_400)
    orgs = ctx.shared["organisations"]
    staff: dict[str, list[int]] = {}
    plan = [
        ("admin", Role.ADMIN, 1, "scale.admin@example.org"),
        ("lead", Role.LEAD, 2, "scale.lead.{n}@example.org"),
        ("supervisor", Role.SUPERVISOR, ctx.scaled(7, 2), "scale.supervisor.{n:03d}@example.org"),
        ("reviewer", Role.REVIEWER, ctx.scaled(20, 2), "scale.reviewer.{n:03d}@example.org"),
    ]
    for key, role, count, pattern in plan:
        staff[key] = [
            add_user(ctx, pattern.format(n=n), (role,), ctx.rng.choice(orgs), joined)
            for n in range(1, count + 1)
        ]
        if role is not Role.REVIEWER:
            for user_id in staff[key]:
                ctx.add(
                    TwoFactor,
                    user_id=user_id,
                    secret=SCALE_TOTP_SECRET,
                    created_at=joined,
                    confirmed_at=joined,
                    last_used_step=None,
                )
    ctx.shared["staff"] = staff


def build_intakes(ctx: Context) -> None:
    """Oldest first: completed intakes, two running (started about five and two months
    ago) and the newest open for applications now."""
    count = ctx.scaled(20, minimum=3)
    running = min(2, count - 2)
    completed = count - 1 - running
    latest_running = ctx.today - days(60)
    starts = [latest_running - days(90 * (running - 1 - r)) for r in range(running)]
    first_running = starts[0]
    completed_starts = [
        first_running - days(INTAKE_GAP_DAYS + 30 + INTAKE_GAP_DAYS * (completed - 1 - c))
        for c in range(completed)
    ]
    if completed == 1:  # old enough for some of its awards to have lapsed
        completed_starts = [first_running - days(INTAKE_GAP_DAYS + 30 + 3 * 365)]
    open_closes = ctx.today + days(28)
    open_start = open_closes + days(42)
    plan = (
        [("completed", s) for s in completed_starts]
        + [("running", s) for s in starts]
        + [("open", open_start)]
    )
    intakes = []
    for number, (kind, starts_on) in enumerate(plan, start=1):
        if kind == "open":
            opens_on, closes_on = ctx.today - days(14), open_closes
        else:
            opens_on, closes_on = starts_on - days(82), starts_on - days(42)
        name = f"Scale intake {number:02d} ({starts_on:%B %Y})"
        intake_id = ctx.add(
            Intake,
            name=name,
            opens_on=opens_on,
            closes_on=closes_on,
            programme_starts_on=starts_on,
            capacity=ctx.scaled(110, 5),
            delivery_modes=[m.value for m in DeliveryMode],
            regions=[r.value for r in Region],
            created_at=at(opens_on - days(30), 9),
            updated_at=at(opens_on - days(30), 9),
        )
        intakes.append(IntakeInfo(intake_id, number, name, kind, starts_on, opens_on, closes_on))
    ctx.shared["intakes"] = intakes
