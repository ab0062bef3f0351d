"""A tiny scripted HTTP server on 127.0.0.1 for testing the hook end to end."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


class ScriptedServer:
    """``routes[(method, path)]`` is a list of ``(status, headers, body)``; the last repeats."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], list[tuple[int, dict, Any]]] = {}
        self.seen: list[Seen] = []
        self.default: tuple[int, dict, Any] | None = None  # answer for unknown routes
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                server.seen.append(Seen(self.command, self.path, dict(self.headers), body))
                answers = server.routes.get((self.command, self.path))
                if not answers:
                    status, headers, payload = server.default or (404, {}, "no route")
                else:
                    status, headers, payload = answers.pop(0) if len(answers) > 1 else answers[0]
                data = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
                data = data.encode() if isinstance(data, str) else data
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _handle

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def route(self, method: str, path: str, *answers: tuple[int, dict, Any]) -> None:
        self.routes[(method, path)] = list(answers)

    def __enter__(self) -> ScriptedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


JSON = {"Content-Type": "application/json"}
PROBLEM = {"Content-Type": "application/problem+json"}
