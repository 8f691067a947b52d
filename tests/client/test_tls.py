"""wss:// against a lab server with a self-signed certificate made in the test (by `openssl`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector.client import steps
from inspector.client.engine import Client, ClientOptions
from inspector.client.errors import TlsFailed
from inspector.lab.certificate import make_self_signed
from inspector.protocol.constants import Direction
from tests.client.conftest import lab


@pytest.fixture(scope="module")
def wss_url(tmp_path_factory: pytest.TempPathFactory) -> object:
    certificate = make_self_signed(tmp_path_factory.mktemp("cert"))
    with lab(mode="echo", tls=certificate.server_context()) as (_, url):
        yield url, certificate.cert


def test_verification_is_on_by_default_and_fails_clearly(wss_url: tuple[str, Path]) -> None:
    url, _ = wss_url
    assert url.startswith("wss://127.0.0.1:")
    with pytest.raises(TlsFailed) as caught:
        Client(url).connect()
    assert "certificate is not trusted (self-signed certificate)" in str(caught.value)
    assert "--insecure" in str(caught.value)


def talk(client: Client) -> bytes:
    client.connect()
    client.send(steps.text("over TLS"))
    client.listen(3.0, until=lambda: len(client.recording.frames(Direction.SERVER)) >= 1)
    client.close()
    return client.recording.frames(Direction.SERVER)[0].payload


def test_insecure_skips_verification(wss_url: tuple[str, Path]) -> None:
    url, _ = wss_url
    client = Client(url, ClientOptions(insecure=True))
    assert talk(client) == b"over TLS"
    assert client.outcome().clean


def test_trusting_the_lab_certificate_verifies_it_with_sni(wss_url: tuple[str, Path]) -> None:
    url, cert = wss_url
    named = url.replace("127.0.0.1", "localhost")  # the name is checked against the certificate's SAN
    assert talk(Client(named, ClientOptions(cafile=str(cert)))) == b"over TLS"
