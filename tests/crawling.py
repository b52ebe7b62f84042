"""A small crawler for the security tests: the demo data, pages reached by links, forms.

The escaping and mass-assignment tests share it. ``demo_world`` seeds the demo data in a
transaction rolled back at the end; ``crawl`` follows same-site links as one browser, a
few pages per endpoint; ``Form.fill`` builds what a browser would post; ``sign_in`` signs
a demo account in, two-factor code and all.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.exceptions import HTTPException

from lms.extensions import db as _db
from lms.extensions import limiter

# Accounts the crawls sign in as: one per demo role (lms/demo.py), plus a facilitator and
# a GMTS trainee of the running intake's second set, who see that set's pages.
DEMO_SIGN_INS = {
    "admin": "admin@example.org",
    "lead": "lead@example.org",
    "supervisor": "supervisor@example.org",
    "reviewer": "reviewer@example.org",
    "facilitator": "facilitator@example.org",
    "trainee": "trainee@example.org",
    "applicant": "applicant@example.org",
    "cohort facilitator": "kwame.asante@example.org",
    "gmts trainee": "chloe.adebayo@example.org",
}

# Inputs a person types free text into; the rest keep what the page gave them.
TEXT_TYPES = {"text", "search", "textarea", "tel", "url", ""}
# Responses read as text; the rest (PDF, spreadsheets, images) no browser renders as HTML.
TEXT_TYPES_SERVED = ("text/", "application/json", "application/xml", "image/svg+xml")


@dataclass
class Field:
    name: str
    kind: str  # input type, or "textarea" / "select"
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)  # select options
    selected: list[str] = field(default_factory=list)


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # name, value, action

    @property
    def names(self) -> set[str]:
        return {f.name for f in self.fields} | {name for name, _, _ in self.buttons if name}

    def text_fields(self) -> list[Field]:
        """Fields a person types free text into (not hidden, email, number, date...)."""
        return [f for f in self.fields if f.kind in TEXT_TYPES and f.name != "csrf_token"]

    def fill(self, text: Callable[[Field], str] | None = None) -> list[tuple[str, str]]:
        """What a browser posts: page defaults, first real option of selects and radios,
        checked boxes as they are, ``text(field)`` in free-text fields, first button."""
        data: list[tuple[str, str]] = []
        radios_seen: set[str] = set()
        typed = self.text_fields()
        for f in self.fields:
            if f.kind == "select":
                real = [o for o in f.options if o]
                chosen = [o for o in f.selected if o] or real[:1] or f.selected or f.options[:1]
                data += [(f.name, value) for value in chosen[:1]]
            elif f.kind == "radio":
                if f.name in radios_seen:
                    continue
                radios_seen.add(f.name)
                group = [g for g in self.fields if g.kind == "radio" and g.name == f.name]
                chosen = next((g for g in group if g.checked), group[0])
                data.append((f.name, chosen.value))
            elif f.kind == "checkbox":
                if f.checked:
                    data.append((f.name, f.value or "y"))
            elif f.kind in ("file", "submit", "button", "reset", "image"):
                continue
            elif text is not None and f in typed:
                data.append((f.name, text(f)))
            else:
                data.append((f.name, f.value))
        if self.buttons:
            name, value, _ = self.buttons[0]
            if name:
                data.append((name, value))
        return data

    @property
    def target(self) -> str:
        """Where the first button posts (a button may have its own ``formaction``)."""
        if self.buttons and self.buttons[0][2]:
            return self.buttons[0][2]
        return self.action


class PageParser(HTMLParser):
    """Links and forms of one HTML page."""

    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: Field | None = None
        self._select: Field | None = None

    def _resolve(self, href: str | None) -> str:
        return urljoin(self.url, href or self.url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(self._resolve(a["href"]))
        elif tag == "form":
            self._form = Form(self.url, self._resolve(a.get("action")), a.get("method", "get"))
            self._form.method = self._form.method.lower()
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                self._form.buttons.append((a["name"], a.get("value", ""), ""))
            else:
                self._form.fields.append(Field(a["name"], kind, a.get("value", ""), "checked" in a))
        elif tag == "input" and a.get("type", "").lower() == "submit":
            self._form.buttons.append(("", "", ""))
        elif tag == "button" and a.get("type", "submit").lower() == "submit":
            action = self._resolve(a["formaction"]) if a.get("formaction") else ""
            self._form.buttons.append((a.get("name", ""), a.get("value", ""), action))
        elif tag == "textarea" and a.get("name"):
            self._textarea = Field(a["name"], "textarea")
            self._form.fields.append(self._textarea)
        elif tag == "select" and a.get("name"):
            self._select = Field(a["name"], "select")
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None and "value" in a:
            self._select.options.append(a["value"])
            if "selected" in a:
                self._select.selected.append(a["value"])

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def parse(url: str, html: str) -> PageParser:
    parser = PageParser(url)
    parser.feed(html)
    parser.close()
    return parser


@dataclass
class Page:
    url: str
    status: int
    mimetype: str
    body: str
    headers: dict[str, str]


def local_path(url: str) -> str | None:
    """The path and query of a same-site URL, or None for another site."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "localhost"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def endpoint_of(app: Flask, path: str, method: str = "GET") -> str | None:
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(urlsplit(path).path, method=method)
    except HTTPException:
        return None
    return endpoint


def crawl(
    app: Flask,
    client: FlaskClient,
    start: list[str],
    per_endpoint: int = 2,
    must_visit: list[str] = (),
) -> Iterator[tuple[Page, PageParser | None]]:
    """Same-site GET pages reachable by links from ``start``, breadth first, at most
    ``per_endpoint`` addresses of each endpoint (``must_visit`` ones always)."""
    queue = deque([*must_visit, *start])
    seen: set[str] = set()
    per: Counter[str] = Counter()
    forced = set(must_visit)
    while queue:
        path = local_path(queue.popleft())
        if path is None or path in seen or path.startswith("/static/"):
            continue
        seen.add(path)
        endpoint = endpoint_of(app, path)
        if endpoint is None or endpoint == "static":
            continue
        if path not in forced:
            if per[endpoint] >= per_endpoint:
                continue
            per[endpoint] += 1
        response = client.get(path)
        mimetype = response.mimetype or ""
        if not mimetype.startswith(TEXT_TYPES_SERVED):
            continue
        try:
            body = response.get_data().decode()
        except UnicodeDecodeError as error:
            raise AssertionError(f"{path} is {mimetype} but not text") from error
        page = Page(path, response.status_code, mimetype, body, dict(response.headers))
        parsed = None
        if mimetype == "text/html" and response.status_code == 200:
            parsed = parse(f"http://localhost{path}", page.body)
            queue.extend(parsed.links)
        yield page, parsed


def sign_in(client: FlaskClient, email: str, password: str) -> FlaskClient:
    """Sign ``client`` in as a demo account the real way (the root conftest's sign-in,
    code and all). The rate limits do not count test sign-ins."""
    from lms.accounts.models import User
    from tests.conftest import sign_in as root_sign_in

    limiter.reset()
    root_sign_in(client, _db.session.scalar(_db.select(User).where(User.email == email)), password)
    return client


def enable_two_factor() -> None:
    """Two-factor sign-in turned on for every account whose role needs it and has none
    (the demo's staff have one; people a test adds may not)."""
    import pyotp

    from lms.accounts import two_factor
    from lms.accounts.models import User

    for user in _db.session.scalars(_db.select(User)):
        if two_factor.is_required(user) and not two_factor.is_enabled(user):
            two_factor.enable_with_secret(user, pyotp.random_base32())


@contextmanager
def demo_world(app: Flask, seed: Callable[[], None] | None = None) -> Iterator:
    """The demo data (``lms.demo.seed_demo``) in one transaction that is rolled back at
    the end; requests "commit" by releasing savepoints inside it, as the ``db`` fixture
    does. Yields the connection, so a test can take a savepoint of its own."""
    from lms.demo import seed_demo
    from tests.conftest import rolled_back

    with rolled_back(app) as connection:
        seed_demo()
        enable_two_factor()
        if seed is not None:
            seed()
        _db.session.commit()
        yield connection
