"""The REST client: accounts, workflows and instances."""

import json
import time
import urllib.error
import urllib.parse
import urllib.request

RETRIED_STATUSES = (429, 503, 504)
"""Answers a client may retry: rate limited, warming up, the reply did not come in time."""


class FerryApiError(Exception):
    """The API refused a request: ``status`` is the HTTP status, ``code`` the API's error code."""

    def __init__(self, status, code, message):
        super().__init__("%s (code %s, HTTP %s)" % (message, code, status))
        self.status, self.code, self.message = status, code, message


def connect(account_url, token, *, timeout=30, retries=3):
    """A client of one account: ``account_url`` is the gateway's account URL such as
    ``http://127.0.0.1:8787/client/v4/accounts/dev``; ``token`` the account's API token."""
    return Account(account_url, token, timeout, retries)


class Account:
    def __init__(self, url, token, timeout, retries):
        if not url.startswith(("http://", "https://")):
            raise ValueError("account_url must be an http(s) URL, got %r" % url)
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.retries = retries

    def workflow(self, name):
        return Workflow(self, name)

    def call(self, method, path, body=None):
        """The ``result`` of a call; FerryApiError when it fails. 429/503/504 are retried (a
        bounded number of times, after the server's Retry-After or a short backoff)."""
        data = None if body is None else json.dumps(body).encode()
        for attempt in range(self.retries + 1):
            request = urllib.request.Request(self.url + path, data=data, method=method, headers={
                "Authorization": "Bearer " + self.token, "Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return json.loads(response.read() or b"null").get("result")
            except urllib.error.HTTPError as e:
                text = e.read()
                if e.code in RETRIED_STATUSES and attempt < self.retries:
                    time.sleep(_retry_after(e.headers.get("Retry-After"), attempt))
                    continue
                raise _error(e.code, text) from None
            except urllib.error.URLError as e:
                raise FerryApiError(None, None, "the gateway at %s did not answer: %s" % (self.url, e.reason)) from None
        raise AssertionError("unreachable")


def _retry_after(header, attempt):
    try:
        return min(float(header), 10.0)
    except (TypeError, ValueError):
        return 0.2 * (2 ** attempt)


def _error(status, text):
    try:
        errors = json.loads(text).get("errors") or [{}]
        return FerryApiError(status, errors[0].get("code"), errors[0].get("message") or text.decode()[:300])
    except (ValueError, AttributeError):
        return FerryApiError(status, None, text.decode("utf-8", "replace")[:300])


def _quote(part):
    return urllib.parse.quote(part, safe="")


class Workflow:
    """One workflow of the account."""

    def __init__(self, account, name):
        self.account = account
        self.name = name
        self.path = "/workflows/" + _quote(name)

    def create(self, options=None):
        """Creates an instance: ``options`` may hold ``id`` and ``params`` (and the API's other
        create fields, e.g. ``retention``). Returns the Instance."""
        result = self.account.call("POST", self.path + "/instances", _create_body(options))
        return Instance(self, result["id"])

    def create_batch(self, batch):
        """Creates up to 100 instances at once, skipping ids that exist; returns the Instances."""
        if len(batch) > 100:
            raise ValueError("a batch holds at most 100 instances, got %d" % len(batch))
        result = self.account.call("POST", self.path + "/instances/batch", [_create_body(o) for o in batch])
        return [Instance(self, r["id"]) for r in result or []]

    def get(self, instance_id):
        """The instance with this id (FerryApiError 404 when there is none)."""
        self.account.call("GET", self.path + "/instances/" + _quote(instance_id) + "?simple=true")
        return Instance(self, instance_id)


def _create_body(options):
    options = dict(options or {})
    body = {}
    if "id" in options:
        body["instance_id"] = options.pop("id")
    if "params" in options:
        body["params"] = options.pop("params")
    body.update(options)
    return body


class Instance:
    """One instance of a workflow."""

    def __init__(self, workflow, instance_id):
        self.workflow = workflow
        self.id = instance_id
        self.path = workflow.path + "/instances/" + _quote(instance_id)

    def status(self):
        """``{"status", "output", "error", ...}`` as the API shows it (steps included)."""
        return self.workflow.account.call("GET", self.path)

    def pause(self):
        self._change("pause")

    def resume(self):
        self._change("resume")

    def terminate(self, rollback=False):
        self._change("terminate", rollback=True) if rollback else self._change("terminate")

    def restart(self):
        self._change("restart")

    def send_event(self, event_type, payload=None):
        self.workflow.account.call("POST", self.path + "/events/" + _quote(event_type), payload)

    def wait_for(self, *statuses, timeout=60, poll=0.2):
        """Polls until the instance reaches one of ``statuses``; returns its status dict."""
        deadline = time.time() + timeout
        while True:
            current = self.status()
            if current["status"] in statuses:
                return current
            if time.time() >= deadline:
                raise TimeoutError("%s stayed %s, not %s, for %s s" % (self.id, current["status"], statuses, timeout))
            time.sleep(poll)

    def _change(self, status, **extra):
        self.workflow.account.call("PATCH", self.path + "/status", dict(extra, status=status))
