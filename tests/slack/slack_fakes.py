"""Slack, played locally: its Web API on 127.0.0.1, request signing, and the payloads Slack sends.

``FakeSlack`` answers like Slack's Web API (``{"ok": true, ...}``) for ``auth.test``,
``chat.postMessage``, ``chat.postEphemeral``, ``apps.connections.open`` and anything else under
``/api/``, and accepts posts to ``/respond/<name>`` (the ``response_url`` of slash commands and
button clicks). It records every call — method, arguments, headers — so tests can wait for and
inspect what the bot sent. With ``socket=True`` it also serves Socket Mode's WebSocket.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from websockets.exceptions import ConnectionClosed

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-0000-test-bot-token"
APP_TOKEN = "xapp-1-test-app-token"
BOT_USER = "UBOT"
BOT_ID = "BBOT"
TEAM = "T0NEWS"
PUBLIC_URL = "https://newsdesk.example.org"


@dataclass
class Call:
    """One request the bot made to Slack."""

    method: str  # "chat.postMessage", ... or "respond" for a response_url
    path: str
    args: dict[str, Any]
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)

    def text_of_blocks(self) -> str:
        """All mrkdwn/plain text of the blocks, joined (for assertions)."""
        return "\n".join(_texts(self.args.get("blocks") or []))


def _texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        out = [node["text"]] if isinstance(node.get("text"), str) else []
        for value in node.values():
            if isinstance(value, (dict, list)):
                out.extend(_texts(value))
        return out
    if isinstance(node, list):
        return [t for item in node for t in _texts(item)]
    return []


def _decode(content_type: str, raw: bytes) -> dict[str, Any]:
    if not raw:
        return {}
    if "json" in content_type:
        return json.loads(raw)
    args: dict[str, Any] = {}
    for key, values in urllib.parse.parse_qs(raw.decode("utf-8"), keep_blank_values=True).items():
        value: Any = values[-1]
        if key in ("blocks", "attachments", "metadata"):
            try:
                value = json.loads(value)
            except ValueError:
                pass
        args[key] = value
    return args


class FakeSlack:
    """Slack's Web API on 127.0.0.1 (see the module docstring)."""

    def __init__(self, socket: bool = False):
        self.calls: list[Call] = []
        self.fail: dict[str, str] = {}  # method -> Slack error code to answer with (ok: false)
        self.fail_with_blocks: str | None = None  # error code for any chat.postMessage that carries blocks
        self._changed = threading.Condition()
        self._ts = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True, name="fake-slack")
        self.socket = FakeSocketMode() if socket else None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.url}/respond/{name}"

    def start(self) -> FakeSlack:
        self._thread.start()
        if self.socket:
            self.socket.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self.socket:
            self.socket.stop()

    def record(self, call: Call) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def calls_to(self, method: str, **match: Any) -> list[Call]:
        """Recorded calls of ``method`` whose arguments (or path, for ``respond``) match ``match``."""
        with self._changed:
            found = [c for c in self.calls if c.method == method]
        return [c for c in found if all((c.path if k == "path" else c.args.get(k)) == v for k, v in match.items())]

    def wait_for(self, method: str, count: int = 1, timeout: float = 120.0, **match: Any) -> list[Call]:
        """Block until ``count`` matching calls were made; fail with what was recorded otherwise."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = self.calls_to(method, **match)
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [
                        (c.method, c.path, {k: c.args.get(k) for k in ("channel", "thread_ts", "text")})
                        for c in self.calls
                    ]
                    raise AssertionError(f"no {count} x {method} {match} within {timeout:.0f} s; Slack saw: {seen}")
                self._changed.wait(min(left, 1.0))

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method in self.fail:
            return {"ok": False, "error": self.fail[method]}
        if method == "chat.postMessage" and self.fail_with_blocks and args.get("blocks"):
            return {"ok": False, "error": self.fail_with_blocks}
        ts = f"{int(time.time())}.{next(self._ts):06d}"
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://newsroom.slack.com/",
                "team": "Newsroom",
                "user": "newsdesk",
                "team_id": TEAM,
                "user_id": BOT_USER,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method == "chat.postMessage":
            message = {"type": "message", "text": args.get("text"), "user": BOT_USER, "bot_id": BOT_ID, "ts": ts}
            if args.get("thread_ts"):
                message["thread_ts"] = args["thread_ts"]
            return {"ok": True, "channel": args.get("channel"), "ts": ts, "message": message}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if method == "apps.connections.open":
            assert self.socket is not None, "Socket Mode was not enabled on this fake"
            return {"ok": True, "url": self.socket.url}
        return {"ok": True}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                args = _decode(self.headers.get("Content-Type", ""), raw)
                path = urllib.parse.urlsplit(self.path).path
                if path.startswith("/api/"):
                    method = path[len("/api/") :]
                    body = fake._answer(method, args)
                elif path.startswith("/respond/"):
                    method, body = "respond", {"ok": True}
                else:
                    method, body = "unknown", {"ok": False, "error": "unknown_method"}
                fake.record(Call(method, path, args, {k.lower(): v for k, v in self.headers.items()}))
                data = json.dumps(body).encode()
                self.send_response(200 if method != "unknown" else 404)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST

        return Handler


class FakeSocketMode:
    """Slack's Socket Mode WebSocket: says hello, sends envelopes, records the acknowledgements."""

    def __init__(self) -> None:
        from websockets.sync.server import serve

        self.acks: list[dict[str, Any]] = []
        self.connected = threading.Event()
        self._changed = threading.Condition()
        self._connections: list[Any] = []
        self._server = serve(self._session, "127.0.0.1", 0)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True, name="fake-slack-socket")

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/link/?ticket=test"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()

    def _session(self, connection: Any) -> None:
        connection.send(json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0NEWS"}}))
        with self._changed:
            self._connections.append(connection)
        self.connected.set()
        try:
            for message in connection:
                with self._changed:
                    self.acks.append(json.loads(message))
                    self._changed.notify_all()
        except ConnectionClosed:
            pass  # the bot went away (it was stopped): nothing to record

    def send(self, envelope: dict[str, Any]) -> None:
        """Deliver ``envelope`` on the newest connection."""
        assert self.connected.wait(60), "the bot never connected"
        with self._changed:
            connection = self._connections[-1]
        connection.send(json.dumps(envelope))

    def wait_for_ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for ack in self.acks:
                    if ack.get("envelope_id") == envelope_id:
                        return ack
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"envelope {envelope_id} not acknowledged within {timeout} s; acks: {self.acks}"
                    )
                self._changed.wait(min(left, 0.5))


# ----- what Slack sends ----------------------------------------------------------------------


def sign(body: bytes, secret: str = SIGNING_SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Slack's request signature: ``v0=`` HMAC-SHA256 of ``v0:{timestamp}:{body}`` with the signing secret."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


_event_ids = itertools.count(1)
_stamps = itertools.count(1)


def new_ts() -> str:
    """A fresh message timestamp."""
    return f"{int(time.time())}.{next(_stamps):06d}"


def event_callback(event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    """An Events API delivery of ``event``."""
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM,
        "api_app_id": "A0NEWS",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_event_ids):08d}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
    }


def mention(text: str, channel: str, ts: str | None = None, user: str = "UJOURNO", **extra: Any) -> dict[str, Any]:
    ts = ts or new_ts()
    return {"type": "app_mention", "user": user, "text": text, "ts": ts, "channel": channel, "event_ts": ts, **extra}


def direct_message(
    text: str, channel: str, ts: str | None = None, user: str | None = "UJOURNO", **extra: Any
) -> dict[str, Any]:
    ts = ts or new_ts()
    event = {
        "type": "message",
        "channel_type": "im",
        "text": text,
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
        **extra,
    }
    if user:
        event["user"] = user
    return event


def thread_reply(
    text: str, channel: str, thread_ts: str, ts: str | None = None, user: str = "UJOURNO", **extra: Any
) -> dict[str, Any]:
    """A reply in a channel thread, as ``message.channels`` delivers it (no @mention)."""
    ts = ts or new_ts()
    return {
        "type": "message",
        "channel_type": "channel",
        "text": text,
        "ts": ts,
        "thread_ts": thread_ts,
        "channel": channel,
        "event_ts": ts,
        "user": user,
        **extra,
    }


def slash_command(text: str, response_url: str, channel: str = "C0DESK", user: str = "UJOURNO") -> dict[str, str]:
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM,
        "team_domain": "newsroom",
        "channel_id": channel,
        "channel_name": "desk",
        "user_id": user,
        "user_name": "journalist",
        "command": "/newsdesk",
        "text": text,
        "api_app_id": "A0NEWS",
        "response_url": response_url,
        "trigger_id": "1.2.3",
    }


def block_actions(
    action_id: str, value: str, response_url: str, channel: str, message_ts: str, user: str = "UEDITOR", text: str = ""
) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "newsroom"},
        "user": {"id": user, "username": "editor", "team_id": TEAM},
        "api_app_id": "A0NEWS",
        "container": {"type": "message", "message_ts": message_ts, "channel_id": channel, "is_ephemeral": False},
        "trigger_id": "4.5.6",
        "channel": {"id": channel, "name": "desk"},
        "message": {"type": "message", "user": BOT_USER, "bot_id": BOT_ID, "ts": message_ts, "text": text},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "newsdesk_feedback",
                "value": value,
                "type": "button",
                "action_ts": str(time.time()),
            }
        ],
    }


def form(fields: dict[str, str]) -> bytes:
    return urllib.parse.urlencode(fields).encode()


def wait_until(condition: Callable[[], bool], timeout: float = 30.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not met within {timeout:.0f} s")
        time.sleep(0.1)
