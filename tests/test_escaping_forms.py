"""Free text renders escaped everywhere (issue 9), checked on the demo data as people use it.

Two complementary tests, each on its own copy of the demo data:

- every form the site's pages link to is filled in, as each demo role, with a script
  payload in every free-text box (a number per box, so a leak names its box), then every
  page is read again as every role and signed out;
- every free-text column of every demo record is overwritten with a payload, then every
  page is read as every role.

No page may carry a payload unescaped. Downloads that are not HTML (CSV, JSON, calendar
files) hold the text as it is, which is right for them; they must never be served as
HTML or sniffed as it. Emails are plain text; an HTML body, if one is added, must escape.
Run with ``-s`` to see how much was covered.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import count
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from lms.demo import DEMO_PASSWORD
from lms.extensions import db
from tests import mass_assignment_cases as cases
from tests import mass_assignment_steps as steps
from tests.crawling import (
    DEMO_SIGN_INS,
    Form,
    Page,
    crawl,
    demo_world,
    endpoint_of,
    sign_in,
)

PAYLOAD = '<script>alert("xss-{n}")</script>"\'><img src=x onerror=alert({n})>'
SHORT_PAYLOAD = "<img src=x onerror=alert({n})>"  # for short columns
RAW = re.compile(r'<script>alert\("xss-(\d+)"\)|<img src=x onerror=alert\((\d+)\)>')
MARK = re.compile(r"xss-(\d+)|onerror=alert\((\d+)\)")  # the payload, escaped or not
HTML_TYPES = ("text/html", "application/xhtml+xml", "image/svg+xml", "text/xml")
PER_ENDPOINT = 3  # pages of each kind read per person, beyond those a form led to

# Forms never filled in: they end a session or take something away for good, which would
# stop the rest of the crawl (or the crawl would have nothing left to check).
SKIP = {
    "accounts.sign_out": "ends the crawl's session",
    "accounts.sign_out_everywhere": "ends the crawl's session",
    "accounts.change_password": "would sign the crawl out elsewhere; passwords are never shown",
    "accounts.two_factor_turn_off": "takes two-factor away; no free text",
    "accounts.two_factor_new_codes": "replaces the recovery codes; no free text",
    "admin.toggle_active": "disables an account the crawl may be using",
    "admin.revoke_role": "takes a role away from an account the crawl may be using",
    "privacy.erase_person": "erases a person for good; its only box must match their email",
    "assessment.delete_upload": "deletes evidence; no free text",
    "applications.remove_reviewer": "takes a reviewer off; no free text",
    "buddy.remove_rule": "deletes a pairing rule; no free text",
    "buddy.discard": "throws away the proposed pairs; no free text",
    "practice.discard_sets": "throws away the proposed sets; no free text",
    "practice.remove_presenter": "takes a presenter off; no free text",
}
# Forms filled in after all the others: each ends something the others need (a session,
# an application, an award), and each has a reason box worth filling.
LAST = (
    "applications.withdraw_application",
    "applications.decline_offer",
    "applications.reject_application",
    "applications.lapse_offer",
    "supervision.cancel_session",
    "curriculum.cancel_workshop",
    "assessment.revoke_award",
    "practice.close_session",
)
# Endpoints whose names say they end or take away something: each must be in SKIP or LAST.
DESTRUCTIVE = re.compile(
    r"sign_out|erase|delete|disable|revoke|withdraw|remove|discard|cancel|toggle|turn_off|decline"
)


def payload(n: int, length: int | None = None) -> str:
    text = PAYLOAD.format(n=n)
    return text if length is None or len(text) + 8 <= length else SHORT_PAYLOAD.format(n=n)


@dataclass
class Leaks:
    """What the reading found: pages read, payloads seen, and any that were not escaped."""

    pages: int = 0
    downloads: int = 0
    seen: set[int] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)

    def check(self, who: str, page: Page) -> None:
        self.pages += 1
        self.seen.update(int(a or b) for a, b in MARK.findall(page.body))
        if page.mimetype.startswith(HTML_TYPES):
            for match in RAW.finditer(page.body):
                self.problems.append(f"{who}: {page.url} shows payload {match.group(0)!r} raw")
            if re.search(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", page.body, re.I):
                self.problems.append(f"{who}: {page.url} has a javascript: link")
        else:
            self.downloads += 1
            if page.headers.get("X-Content-Type-Options") != "nosniff":
                self.problems.append(f"{who}: {page.url} ({page.mimetype}) may be sniffed as HTML")


def signed_in(app: Flask) -> dict[str, FlaskClient]:
    clients = {"signed out": app.test_client()}
    for role, email in DEMO_SIGN_INS.items():
        clients[role] = sign_in(app.test_client(), email, DEMO_PASSWORD)
    return clients


def public_pages() -> list[str]:
    """Pages anyone may open without a link on the site: award verification."""
    from lms.assessment.models import Award

    codes = db.session.scalars(sa.select(Award.code))
    return [path for code in codes for path in (f"/verify/{code}", f"/verify/{code}/status")]


def read_everything(
    app: Flask, clients: dict[str, FlaskClient], leaks: Leaks, must: dict[str, set[str]]
) -> None:
    for who, client in clients.items():
        start = ["/", *(public_pages() if who == "signed out" else [])]
        for page, _parsed in crawl(app, client, start, PER_ENDPOINT, sorted(must[who])):
            leaks.check(who, page)


# --- Forms ------------------------------------------------------------------------------


def _key(endpoint: str, form: Form) -> tuple:
    """Forms alike enough to fill in once: the same endpoint and the same boxes."""
    return endpoint, tuple(sorted({re.sub(r"\d+", "#", f.name) for f in form.text_fields()}))


def _fill(form: Form, endpoint: str, numbers: count, boxes: dict[int, str]) -> MultiDict:
    """A payload in every free-text box; valid answers elsewhere (as the mass-assignment
    cases give them), so the form saves what was typed."""

    def text(f) -> str:
        if any(f.name.endswith(end) for end in steps.SAMPLES):
            return steps.sample(f.name, f.value)
        n = next(numbers)
        boxes[n] = f"{endpoint} {f.name}"
        return payload(n)

    data = MultiDict(form.fill(text=text))
    case = cases.CASES.get(endpoint)
    given = case.data if case and isinstance(case.data, dict) else {}
    typed = {f.name for f in form.text_fields()}
    for name, value in {**steps.tick_first(form), **given}.items():
        if name not in typed or any(name.endswith(end) for end in steps.SAMPLES):
            data.setlist(name, value if isinstance(value, list) else [value])
    for f in form.fields:
        if f.kind == "email" and not f.value:
            data.setlist(f.name, [f"xss.{next(numbers)}@example.org"])
        elif f.kind == "password":
            data.setlist(f.name, [steps.PASSPHRASE])
    return data


def check_emails(app: Flask, leaks: Leaks, monkeypatch) -> int:
    """Emails carrying a payload, sent as they would be by SMTP: every part must be plain
    text (or a calendar file), or HTML with the payload escaped. Returns how many."""
    from lms.notifications import tasks
    from lms.notifications.models import EmailMessage, EmailStatus

    sent = []

    class Server:
        def __init__(self, *args, **kwargs) -> None:
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            pass

        def starttls(self) -> None:
            pass

        def login(self, *args) -> None:
            pass

        def send_message(self, message) -> None:
            sent.append(message)

    monkeypatch.setattr(tasks.smtplib, "SMTP", Server)
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    emails = db.session.scalars(sa.select(EmailMessage).order_by(EmailMessage.id)).all()
    carrying = [m for m in emails if MARK.search(m.subject + m.body)]
    for message in carrying:
        message.status = EmailStatus.QUEUED
        db.session.flush()
        tasks.deliver_email(message.id)
    for message in sent:
        for part in message.walk():
            kind = part.get_content_type()
            if kind == "text/html" and RAW.search(part.get_content()):
                leaks.problems.append(f"email to {message['To']}: its HTML shows a payload raw")
            elif not part.is_multipart() and kind not in ("text/plain", "text/calendar"):
                leaks.problems.append(f"email to {message['To']}: a {kind} part to check")
    assert len(sent) == len(carrying)
    return len(carrying)


@dataclass
class Typing:
    """The forms found, and which box got which payload number."""

    forms: dict[tuple, tuple[str, Form]] = field(default_factory=dict)  # by _key
    searches: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    numbers: count = field(default_factory=lambda: count(1))
    boxes: dict[int, str] = field(default_factory=dict)  # number: "endpoint box"

    def find(self, app: Flask, clients: dict[str, FlaskClient]) -> None:
        """Every form on the pages each person reaches: posting ones to fill in later,
        searches (GET forms) as addresses with a payload in each box."""
        for who, client in clients.items():
            for _page, parsed in crawl(app, client, ["/"], PER_ENDPOINT):
                for form in parsed.forms if parsed else []:
                    path = urlsplit(form.target).path
                    if form.method == "get" and path not in self.searches[who]:
                        data = _fill(form, f"search {path}", self.numbers, self.boxes)
                        query = urlencode(list(data.items(multi=True)))
                        self.searches[who][path] = f"{path}?{query}"
                    elif form.method == "post":
                        endpoint = endpoint_of(app, path, "POST")
                        if endpoint and endpoint not in SKIP:
                            self.forms.setdefault(_key(endpoint, form), (who, form))

    def post_all(self, app: Flask, clients: dict[str, FlaskClient], leaks: Leaks) -> dict:
        """Fill in and post every form (LAST ones last); returns, for each person, the
        pages to read again: where their forms were, where posting them led."""
        must: dict[str, set[str]] = defaultdict(set)
        for who, addresses in self.searches.items():
            must[who] |= set(addresses.values())
        ordered = sorted(self.forms.items(), key=lambda item: item[0][0] in LAST)
        for (endpoint, _boxes), (who, form) in ordered:
            client = app.test_client() if who == "signed out" else clients[who]
            path = form.target.removeprefix("http://localhost")
            response = client.post(path, data=_fill(form, endpoint, self.numbers, self.boxes))
            leaks.check(
                who,
                Page(
                    path,
                    response.status_code,
                    response.mimetype or "",
                    response.get_data(as_text=True),
                    dict(response.headers),
                ),
            )
            must[who].add(form.page.removeprefix("http://localhost"))
            if response.location and who != "signed out":
                must[who].add(urlsplit(response.location).path)
        return must


def test_free_text_typed_into_every_form_renders_escaped(app: Flask, monkeypatch):
    with demo_world(app):
        clients = signed_in(app)
        typing, leaks = Typing(), Leaks()
        typing.find(app, clients)
        unsorted = sorted(e for e, _ in typing.forms if DESTRUCTIVE.search(e) and e not in LAST)
        assert not unsorted, (
            f"forms that end or take something away: add to SKIP or LAST: {unsorted}"
        )
        must = typing.post_all(app, clients, leaks)
        read_everything(app, clients, leaks, must)
        mailed = check_emails(app, leaks, monkeypatch)

    typed = set(typing.boxes)
    shown = typed & leaks.seen
    searches = sum(len(s) for s in typing.searches.values())
    print(
        f"\nescaping (forms): {len(typing.forms)} forms filled in and {searches} searches made,"
        f" {len(typed)} boxes given a payload; {leaks.pages} pages read ({leaks.downloads}"
        f" downloads), {len(shown)} of the payloads seen again, escaped; {mailed} emails"
        " carry one, sent as plain text"
    )
    assert not leaks.problems, "\n".join(leaks.problems)
    assert len(shown) > len(typed) // 2, "most payloads typed in should show up again somewhere"


# --- Stored data ------------------------------------------------------------------------

# Every String and Text column is in one of these two lists: a new one fails the test
# until someone decides which. Free text gets a payload in every row.
FREE_TEXT = {
    "application": (
        "full_name",
        "phone",
        "job_title",
        "organisation_other",
        "previous_other",
        "facilitation_experience",
        "motivation",
        "availability",
        "adjustments",
        "manager_name",
        "decision_reason",
    ),
    "application_event": ("note",),
    "award": ("holder_name", "revoke_reason"),
    "buddy_check_in": ("notes",),
    "buddy_group": ("end_reason",),
    "buddy_repair_request": ("reason",),
    "email_message": ("subject", "body", "calendar"),
    "endorsement_request": ("comment",),
    "evidence_upload": ("filename", "description"),
    "intake": ("name",),
    "job_failure": ("error",),
    "module_version": ("title", "summary"),
    "notification": ("message",),
    "observation": ("summary", "correction_reason"),
    "observation_rating": ("comment",),
    "observation_reflection": ("text",),
    "organisation": ("name",),
    "portfolio_submission": ("statement", "comments"),
    "practice_action": ("text", "supports", "risks"),
    "practice_allocation_run": ("gmts_intake",),
    "practice_feedback": ("comment",),
    "practice_follow_through": ("learning_note",),
    "practice_presentation": ("challenge",),
    "practice_session_log": ("went_well", "do_differently"),
    "practice_set": ("gmts_intake", "name", "venue", "joining_link"),
    "practice_trainee": ("gmts_intake",),
    "practice_trainee_import": ("filename", "content"),
    "reflection": ("title", "prompt", "answer"),
    "report_run": ("error",),
    "review_assignment": ("comment",),
    "supervision_case": ("what_happened", "help_wanted", "response"),
    "supervision_group": ("name",),
    "supervision_private_note": ("text",),
    "supervision_session": ("venue", "joining_link", "shared_summary", "cancel_reason"),
    "user_account": ("name", "access_notes"),
    "user_session": ("user_agent",),  # sent by the browser, so anyone's to choose
    "workshop_day": ("venue", "joining_link", "details", "cancel_reason"),
}
# The rest, and why no payload goes in them.
NOT_FREE_TEXT = {
    "email_message.recipient": "an email address, checked as one",
    "activity_progress.activity_key": "a key of the module's content files",
    "application.contact_email": "an email address, checked as one",
    "application.manager_email": "an email address, checked as one",
    "audit_event.action": "a dotted code the service writes, such as role.granted",
    "audit_event.ip_address": "the address the request came from",
    "audit_event.subject_type": "the name of a model class",
    "award.certificate_name": "a random file name in storage",
    "award.code": "the verification code, random letters and digits in addresses",
    "award.holder_email": "an email address, checked as one",
    "buddy_repair_request.decision": "a code from a fixed list (kept, re-paired)",
    "endorsement_request.manager_email": "an email address, checked as one",
    "endorsement_request.token_hash": "a hash",
    "equality_response.age_band": "a code from a fixed list of answers",
    "equality_response.disability": "a code from a fixed list of answers",
    "equality_response.ethnicity": "a code from a fixed list of answers",
    "equality_response.religion": "a code from a fixed list of answers",
    "equality_response.sex": "a code from a fixed list of answers",
    "equality_response.sexual_orientation": "a code from a fixed list of answers",
    "evidence_upload.content_type": "sniffed from the file's bytes against an allow-list",
    "evidence_upload.storage_name": "a random file name in storage",
    "job_failure.func": "the dotted name of the job's function, which a retry imports",
    "module.slug": "the module's address, from its content file",
    "module_version.content_hash": "a hash",
    "module_version.source": "the path of the module's content file",
    "notification.link": "an address on this site the service writes",
    "organisation.ods_code": "an ODS code: up to 10 letters and digits, checked",
    "password_reset_token.token_hash": "a hash",
    "portfolio_showcase.source": "a code naming a kind of evidence",
    "portfolio_submission.personal_email": "an email address, checked as one",
    "practice_allocation_run.mode": "a delivery mode code",
    "practice_feedback.id": "a random key",
    "practice_session.holiday": "a code naming a bank holiday",
    "practice_session.stage": "a code naming a stage of the session",
    "practice_set.nation": "a code naming the UK nation whose bank holidays apply",
    "practice_trainee.line_manager_email": "an email address, checked as one",
    "quiz_attempt.activity_key": "a key of the module's content files",
    "recovery_code.code_hash": "a hash",
    "reflection.activity_key": "a key of the module's content files",
    "report_run.filters_key": "the report's filters as a sorted key",
    "report_run.report": "a code naming a report",
    "supervision_session.series_key": "a random key grouping sessions booked together",
    "two_factor.secret": "an authenticator secret",
    "user_account.email": "the sign-in email address, checked as one",
    "user_account.language": "a language code (en, cy)",
    "user_account.password_hash": "a hash",
    "user_account.personal_email": "an email address, checked as one",
    "user_session.token_hash": "a hash",
    "workshop_day.activity_key": "a key of the module's content files",
}


def text_columns() -> list[sa.Column]:
    """Every String and Text column (Enum columns hold only their enum's values)."""
    return [
        column
        for table in db.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, sa.String) and not isinstance(column.type, sa.Enum)
    ]


def free_text() -> set[str]:
    return {f"{table}.{column}" for table, columns in FREE_TEXT.items() for column in columns}


def test_every_text_column_is_free_text_or_has_a_reason(app: Flask):
    names = {f"{c.table.name}.{c.name}" for c in text_columns()}
    listed = free_text() | set(NOT_FREE_TEXT)
    assert not free_text() & set(NOT_FREE_TEXT), free_text() & set(NOT_FREE_TEXT)
    assert not listed - names, f"no such text column: {sorted(listed - names)}"
    assert not names - listed, (
        "text columns to decide on: FREE_TEXT (gets a payload) or NOT_FREE_TEXT (say why): "
        f"{sorted(names - listed)}"
    )


def test_stored_free_text_renders_escaped(app: Flask):
    with demo_world(app) as connection:
        clients = signed_in(app)  # before the names change: sign-in reads nothing else
        columns: dict[int, str] = {}
        numbers = count(1)
        for column in text_columns():
            name = f"{column.table.name}.{column.name}"
            if name not in free_text():
                continue
            n = next(numbers)
            columns[n] = name
            key = next(iter(column.table.primary_key.columns))
            text = payload(n, column.type.length) + "-"
            # The row's key keeps names that must be unique (intakes, organisations) apart.
            connection.execute(
                sa.update(column.table).values(
                    {column.name: sa.literal(text) + sa.cast(key, sa.String)}
                )
            )
        db.session.expire_all()
        leaks = Leaks()
        read_everything(app, clients, leaks, defaultdict(set))

    shown = set(columns) & leaks.seen
    print(
        f"\nescaping (stored): {len(columns)} columns given a payload"
        f" ({len(NOT_FREE_TEXT)} are not free text); {leaks.pages} pages read"
        f" ({leaks.downloads} downloads); payloads of {len(shown)} columns seen, escaped;"
        f" not seen: {sorted(columns[n] for n in set(columns) - shown)}"
    )
    assert not leaks.problems, "\n".join(leaks.problems)
    assert len(shown) > len(columns) // 2, "most payloads stored should show up somewhere"


def test_the_check_finds_raw_payloads_and_sniffable_downloads():
    leaks = Leaks()
    raw = Page("/raw", 200, "text/html", f"<p>{payload(7)}</p>", {})
    escaped = Page("/ok", 200, "text/html", "<p>&lt;script&gt;alert(&#34;xss-8&#34;)</p>", {})
    download = Page("/list.csv", 200, "text/csv", payload(9), {})
    safe_download = Page(
        "/a.csv", 200, "text/csv", payload(10), {"X-Content-Type-Options": "nosniff"}
    )
    for page in (raw, escaped, download, safe_download):
        leaks.check("lead", page)
    assert [p.split(" shows")[0].split(" (")[0] for p in leaks.problems] == [
        "lead: /raw",
        "lead: /raw",
        "lead: /list.csv",
    ]
    assert leaks.seen == {7, 8, 9, 10} and leaks.pages == 4 and leaks.downloads == 2
