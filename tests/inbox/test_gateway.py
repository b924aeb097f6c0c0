"""Replies to the school's texts from a real HTTP text gateway on loopback: kept once by
the gateway's id, matched by number; a gateway that is down or answers nonsense says so."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.inbox.gateway import fetch_replies
from attendance_desk.inbox.listing import inbox_entries
from tests.helpers.inbox_school import build_families
from tests.helpers.mail import free_port

NOW = datetime(2025, 9, 8, 8, 0)


@contextmanager
def inbound_api(payload: Any, status: int = 200) -> Iterator[str]:
    """A gateway whose inbound API answers every GET with `payload` as JSON."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    port = free_port()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/inbound"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def test_replies_are_kept_once_and_matched_by_number(
    factory: sessionmaker[Session], session: Session
) -> None:
    """Three replies in the gateway's own field names: Kate's is Ollie's, "ok" stays
    unmatched, one without a number is left out; fetching again keeps nothing twice."""
    families = build_families(session)
    replies = {
        "messages": [
            {
                "id": 71,
                "number": "447700900201",
                "message": "Ollie is ill, sorry",
                "date": "2025-09-08T07:45:00",
            },
            {"message_id": "72", "from": "+447700900102", "text": "ok", "timestamp": 1757300000},
            {"id": 73, "text": "who is this"},
        ]
    }
    with inbound_api(replies) as url:
        first = fetch_replies(factory, url=url, clock=lambda: NOW)
        again = fetch_replies(factory, url=url, clock=lambda: NOW)
    assert first.describe() == (
        "Text replies: 2 new messages, 2 proposals; 1 without an id or number were left out"
    )
    assert again.fetched == 0 and again.skipped == 2
    ok, ollie = inbox_entries(session, user=families.user)  # oldest first
    assert (ollie.channel, ollie.name, ollie.code, ollie.received) == (
        "text",
        "Ollie Jones",
        "I",
        datetime(2025, 9, 8, 7, 45),
    )
    assert (ok.status, ok.text) == ("unmatched", "ok")


def test_gateway_down_or_not_json(factory: sessionmaker[Session], session: Session) -> None:
    """A gateway nobody answers is offline; one answering HTML or an error is named."""
    build_families(session)
    down = fetch_replies(factory, url=f"http://127.0.0.1:{free_port()}/", clock=lambda: NOW)
    assert down.offline and "cannot be reached" in (down.error or "")
    with inbound_api(b"<html>login</html>") as url:
        html = fetch_replies(factory, url=url, clock=lambda: NOW)
    assert html.error is not None and "did not answer with JSON" in html.error
    with inbound_api({"error": "no"}, status=401) as url:
        refused = fetch_replies(factory, url=url, clock=lambda: NOW)
    assert refused.error is not None and refused.error.endswith("answered 401 Unauthorized")
