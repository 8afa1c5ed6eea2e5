"""A tiny OpenAI chat-completions server on 127.0.0.1, for replies a real small model cannot give on cue.

``POST /v1/chat/completions`` (plain and SSE stream) and ``GET /v1/models``; the test sets the
reply, a delay before answering (a stall past a timeout) or an HTTP error status, and can refuse a
``json_schema`` response_format the way llama-cpp-python's server does.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


class FakeOpenAI:
    """``POST /v1/chat/completions`` (plain and SSE stream) and ``GET /v1/models`` on 127.0.0.1.

    ``reply`` is the assistant's text, ``delay_s`` a sleep before answering, ``status`` an HTTP error to send;
    ``refuse_json_schema`` answers a ``json_schema`` response_format with llama-cpp-python's validation error.
    """

    def __init__(self) -> None:
        self.reply = "NOT_FOUND"
        # Replies sent before ``reply``, one per request in order: a reader's answer, then its check's.
        self.queued: list[str] = []
        self.delay_s = 0.0
        self.status = 200
        self.refuse_json_schema = False
        self.requests: list[dict[str, Any]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _json(self, status: int, body: object) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path.rstrip("/") == "/v1/models":
                    self._json(
                        200, {"object": "list", "data": [{"id": "fake-model", "object": "model", "owned_by": "test"}]}
                    )
                else:
                    self._json(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                fake.requests.append(body)
                if fake.delay_s:
                    time.sleep(fake.delay_s)
                if self.path.rstrip("/") != "/v1/chat/completions":
                    return self._json(404, {"error": {"message": "not found"}})
                response_format = body.get("response_format") or {}
                if fake.refuse_json_schema and response_format.get("type") == "json_schema":
                    message = (
                        "1 validation error: {'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
                        "'msg': \"Input should be 'text' or 'json_object'\"}"
                    )
                    return self._json(500, {"error": {"message": message, "type": "internal_server_error"}})
                if fake.status != 200:
                    return self._json(fake.status, {"error": {"message": "boom", "type": "server_error"}})
                model = body.get("model", "fake-model")
                if body.get("stream"):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.send_header("Connection", "close")
                    self.end_headers()
                    words = fake.next_reply().split(" ")
                    for i, word in enumerate(words):
                        piece = word if i == 0 else " " + word
                        chunk = {
                            "id": "c1",
                            "object": "chat.completion.chunk",
                            "created": 0,
                            "model": model,
                            "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}],
                        }
                        self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                        self.wfile.flush()
                    end = {
                        "id": "c1",
                        "object": "chat.completion.chunk",
                        "created": 0,
                        "model": model,
                        "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
                    }
                    self.wfile.write(f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n".encode())
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self._json(
                    200,
                    {
                        "id": "c1",
                        "object": "chat.completion",
                        "created": 0,
                        "model": model,
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": fake.next_reply()},
                                "finish_reason": "stop",
                            }
                        ],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    },
                )

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
                    super().handle_error(request, client_address)  # a client that gave up (timeout) is expected

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def next_reply(self) -> str:
        """The next queued reply, else ``reply``."""
        return self.queued.pop(0) if self.queued else self.reply

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
