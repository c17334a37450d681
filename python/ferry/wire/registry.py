"""A small client of the schema registry's REST API (Confluent's), on the standard library."""

import base64
import json
import ssl
import threading
import urllib.error
import urllib.parse
import urllib.request

import avro.schema


class RegistryError(Exception):
    pass


class RegistryClient:
    """Schemas by id and the latest schema of a subject, cached. Credentials in the URL
    (``http://user:password@host:8081``) or as ``user_info`` (Confluent's ``basic.auth.user.info``,
    which wins) are sent as HTTP basic auth, as Ferry's Java clients do; ``ca_location`` is a PEM file
    of the certificates an https registry is trusted by, when the system's are not."""

    def __init__(self, url, timeout=10, user_info=None, ca_location=None):
        parts = urllib.parse.urlsplit(url)
        self._auth = None
        self._tls = ssl.create_default_context(cafile=ca_location) if ca_location else None
        if user_info:
            self._auth = "Basic " + base64.b64encode(user_info.encode()).decode()
        if parts.username is not None:
            user = urllib.parse.unquote(parts.username)
            password = urllib.parse.unquote(parts.password or "")
            if self._auth is None:
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
            with urllib.request.urlopen(request, timeout=self.timeout, context=self._tls) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as e:
            hint = ""
            if e.code == 401:
                hint = (" (the registry refused the credentials of basic.auth.user.info)" if self._auth
                        else " (the registry needs credentials: set basic.auth.user.info)")
            raise RegistryError("schema registry %s answered %d: %s%s" % (path, e.code, e.read()[:300], hint)) from None
        except (urllib.error.URLError, OSError) as e:
            if isinstance(getattr(e, "reason", e), ssl.SSLError):
                raise RegistryError("TLS with the schema registry at %s failed: %s (check"
                                    " schema.registry.ssl.ca.location: it must trust the registry's"
                                    " certificate)" % (self.url, getattr(e, "reason", e))) from None
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
