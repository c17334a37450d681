"""The REST client against a small real HTTP server standing in for the gateway."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from ferry.client import FerryApiError, connect


class Gateway(BaseHTTPRequestHandler):
    answers = []  # (status, body, headers) served in order
    seen = []

    def _serve(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        Gateway.seen.append((self.command, self.path, self.headers.get("Authorization"),
                             json.loads(body) if body else None))
        status, answer, headers = Gateway.answers.pop(0)
        data = json.dumps(answer).encode()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PATCH = _serve

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    Gateway.answers, Gateway.seen = [], []
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield "http://127.0.0.1:%d/client/v4/accounts/dev" % server.server_port
    server.shutdown()


def ok(result):
    return (200, {"success": True, "errors": [], "messages": [], "result": result}, {})


def test_creates_an_instance_and_changes_its_status_with_the_accounts_token(gateway):
    Gateway.answers += [ok({"id": "order-7", "status": "queued"}), ok(None), ok({"status": "paused"})]
    instance = connect(gateway, "t0k").workflow("three steps").create({"id": "order-7", "params": {"v": 1}})

    instance.pause()

    assert instance.id == "order-7"
    assert instance.status() == {"status": "paused"}
    method, path, auth, body = Gateway.seen[0]
    assert (method, path, auth, body) == ("POST", "/client/v4/accounts/dev/workflows/three%20steps/instances",
                                          "Bearer t0k", {"instance_id": "order-7", "params": {"v": 1}})
    assert Gateway.seen[1][0:2] == ("PATCH", "/client/v4/accounts/dev/workflows/three%20steps/instances/order-7/status")
    assert Gateway.seen[1][3] == {"status": "pause"}


def test_raises_the_apis_error_code_and_message(gateway):
    Gateway.answers.append((404, {"success": False, "errors": [{"code": 10400, "message": "instance 'x' not found"}]}, {}))

    with pytest.raises(FerryApiError) as refused:
        connect(gateway, "t").workflow("w").get("x")

    assert (refused.value.status, refused.value.code, refused.value.message) == (404, 10400, "instance 'x' not found")


def test_retries_a_rate_limited_call_a_bounded_number_of_times(gateway):
    limited = (429, {"success": False, "errors": [{"code": 10430, "message": "slow down"}]}, {"Retry-After": "0"})
    Gateway.answers += [limited, ok({"id": "a"})]
    assert connect(gateway, "t").workflow("w").create().id == "a"

    Gateway.answers += [limited] * 3
    with pytest.raises(FerryApiError) as refused:
        connect(gateway, "t", retries=2).workflow("w").create()
    assert refused.value.code == 10430


def test_sends_a_batch_of_at_most_one_hundred(gateway):
    Gateway.answers.append(ok([{"id": "b1"}, {"id": "b2"}]))
    created = connect(gateway, "t").workflow("w").create_batch([{"id": "b1"}, {"id": "b2", "params": {}}])
    assert [i.id for i in created] == ["b1", "b2"]
    assert Gateway.seen[0][3] == [{"instance_id": "b1"}, {"instance_id": "b2", "params": {}}]
    with pytest.raises(ValueError, match="at most 100"):
        connect(gateway, "t").workflow("w").create_batch([{}] * 101)
