"""Calendar invitations (.ics) for anything with a date: workshop days, supervision sessions,
and set sessions later. Built with icalendar, so the file follows RFC 5545 (folding,
escaping and UTC times) without us writing it by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask import Response, current_app
from icalendar import Calendar, Event

from lms.db_types import utcnow


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable across changes, so calendars update the event instead of adding one
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str | None = None
    sequence: int = 0  # bumped on every change
    is_cancelled: bool = False


def event_uid(kind: str, record_id: int) -> str:
    """A calendar UID that is the same in an emailed invitation (made in a job, outside any
    request) and a downloaded one, so calendars update the event rather than adding one."""
    host = urlsplit(current_app.config["PUBLIC_URL"]).hostname or "localhost"
    return f"{kind}-{record_id}@{host}"


def ics(event: CalendarEvent) -> bytes:
    return ics_many([event])


def ics_many(events: list[CalendarEvent]) -> bytes:
    """One calendar file holding several events (a series of sessions)."""
    calendar = Calendar()
    calendar.add("prodid", "-//NHS ALS Facilitator Programme//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    for event in events:
        calendar.add_component(_event(event))
    return calendar.to_ical()


def _event(event: CalendarEvent) -> Event:
    item = Event()
    item.add("uid", event.uid)
    item.add("dtstamp", utcnow())
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("summary", event.summary)
    item.add("sequence", event.sequence)
    item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    if event.description:
        item.add("description", event.description)
    if event.location:
        item.add("location", event.location)
    if event.url:
        item.add("url", event.url)
    return item


def ics_response(event: CalendarEvent, filename: str) -> Response:
    return Response(
        ics(event),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
