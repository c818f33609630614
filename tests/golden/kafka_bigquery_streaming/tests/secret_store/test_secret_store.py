"""The Spark job's credentials come from Secret Manager: the job's own calls, against a local HTTP stand-in for
the metadata server and the Secret Manager REST API (only a real Dataproc run proves the service account's
access)."""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from streaming_kafka_bigquery import secret_store

CREDENTIALS_RESOURCE = "projects/example-project/secrets/example-source"
TOKEN = "token-for-tests"
ACCESS_PATH = f"/v1/{CREDENTIALS_RESOURCE}/versions/latest:access"


class FakeGoogle(BaseHTTPRequestHandler):
    """Answers the metadata server's token request and Secret Manager's `versions/latest:access`."""

    payload: bytes = b"{}"
    seen: ClassVar[list[str]] = []

    def do_GET(self):
        self.seen.append(self.path)
        if self.path == "/token" and self.headers.get("Metadata-Flavor") == "Google":
            body = {"access_token": TOKEN, "expires_in": 3600}
        elif self.path == ACCESS_PATH and self.headers.get("Authorization") == f"Bearer {TOKEN}":
            body = {"payload": {"data": base64.b64encode(self.payload).decode()}}
        else:
            self.send_error(403)
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def google(monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGoogle)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setattr(secret_store, "METADATA_TOKEN_URL", f"{base}/token")
    monkeypatch.setattr(secret_store, "API_URL", f"{base}/v1")
    FakeGoogle.seen = []
    yield FakeGoogle
    server.shutdown()
    server.server_close()


def test_missing_credentials_are_set_from_the_secret(google):
    google.payload = json.dumps({"SOURCE_CREDENTIAL": "from-secret-manager", "UNUSED": "x"}).encode()
    environ = {"SPARK_SOURCE_SECRET": CREDENTIALS_RESOURCE, "SOURCE_USER_TOKEN": "already-set"}
    found = secret_store.export_job_secrets(["SOURCE_CREDENTIAL", "SOURCE_USER_TOKEN"], environ)
    assert found == ["SOURCE_CREDENTIAL"]
    assert environ["SOURCE_CREDENTIAL"] == "from-secret-manager"
    assert environ["SOURCE_USER_TOKEN"] == "already-set", "a value the environment has is kept"
    assert "UNUSED" not in environ
    assert google.seen == ["/token", ACCESS_PATH], "a token from the metadata server, then the secret"


def test_nothing_is_fetched_without_a_secret_name_or_a_missing_credential(google):
    assert secret_store.export_job_secrets(["SOURCE_CREDENTIAL"], {}) == []
    complete = {"SPARK_SOURCE_SECRET": CREDENTIALS_RESOURCE, "SOURCE_CREDENTIAL": "x"}
    assert secret_store.export_job_secrets(["SOURCE_CREDENTIAL"], complete) == []
    assert google.seen == []


def test_a_secret_that_is_not_a_json_object_is_refused(google):
    google.payload = b'["not", "an", "object"]'
    with pytest.raises(secret_store.SecretStoreError, match="JSON object"):
        secret_store.export_job_secrets(["SOURCE_CREDENTIAL"], {"SPARK_SOURCE_SECRET": CREDENTIALS_RESOURCE})
