"""A small client of the schema registry's REST API (Confluent's), on the standard library."""

import base64
import json
import threading
import urllib.error
import urllib.parse
import urllib.request

import avro.schema


class RegistryError(Exception):
    pass


class RegistryClient:
    """Schemas by id and the latest schema of a subject, cached. Credentials in the URL
    (``http://user:password@host:8081``) are sent as HTTP basic auth, as Ferry's Java clients do."""

    def __init__(self, url, timeout=10):
        parts = urllib.parse.urlsplit(url)
        self._auth = None
        if parts.username is not None:
            user = urllib.parse.unquote(parts.username)
            password = urllib.parse.unquote(parts.password or "")
            self._auth = "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
            netloc = parts.hostname + (":%d" % parts.port if parts.port else "")
            parts = parts._replace(netloc=netloc)
        self.url = urllib.parse.urlunsplit(parts).rstrip("/")
        self.timeout = timeout
        self._by_id = {}
        self._latest = {}
        self._lock = threading.Lock()

    def _get(self, path):
        request = urllib.request.Request(self.url + path, headers={"Accept": "application/json"})
        if self._auth:
            request.add_header("Authorization", self._auth)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as e:
            raise RegistryError("schema registry %s answered %d: %s" % (path, e.code, e.read()[:300])) from None
        except (urllib.error.URLError, OSError) as e:
            raise RegistryError("schema registry at %s did not answer: %s" % (self.url, e)) from None

    def schema(self, schema_id):
        """The parsed schema with this id."""
        with self._lock:
            found = self._by_id.get(schema_id)
        if found is None:
            found = avro.schema.parse(self._get("/schemas/ids/%d" % schema_id)["schema"])
            with self._lock:
                self._by_id[schema_id] = found
        return found

    def latest(self, subject):
        """(id, parsed schema) of the subject's latest version."""
        with self._lock:
            found = self._latest.get(subject)
        if found is None:
            answer = self._get("/subjects/%s/versions/latest" % urllib.parse.quote(subject, safe=""))
            found = (answer["id"], avro.schema.parse(answer["schema"]))
            with self._lock:
                self._latest[subject] = found
                self._by_id.setdefault(answer["id"], found[1])
        return found

    def latest_version(self, subject):
        """The version number of the subject's latest schema, asked each time (no cache): whether
        the registry answers now."""
        return self._get("/subjects/%s/versions/latest" % urllib.parse.quote(subject, safe=""))["version"]
