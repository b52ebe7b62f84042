"""Calendar invitations (.ics) for anything with a date: workshop days now, supervision and
set sessions later. Built with icalendar, so the file follows RFC 5545 (folding, escaping
and UTC times) without us writing it by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Response
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


def ics(event: CalendarEvent) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//NHS ALS Facilitator Programme//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
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
    calendar.add_component(item)
    return calendar.to_ical()


def ics_response(event: CalendarEvent, filename: str) -> Response:
    return Response(
        ics(event),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
