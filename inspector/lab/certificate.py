"""A throwaway self-signed certificate for wss:// practice, made with the `openssl` command.

The Python standard library can use a certificate but cannot make one, and the `cryptography`
package is a large dependency for one lab feature; `openssl` ships with every Debian/Ubuntu system.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from inspector.errors import InspectorError

VALID_DAYS: Final = 30
OPENSSL_TIMEOUT: Final = 60.0


@dataclass(frozen=True, slots=True)
class Certificate:
    cert: Path  # PEM; also what a client trusts (it signs itself)
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context


def make_self_signed(directory: Path, host: str = "localhost") -> Certificate:
    """A certificate for `host`, localhost, 127.0.0.1 and ::1, valid for VALID_DAYS days."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise InspectorError("--tls needs the openssl command to make a certificate (apt-get install openssl)")
    cert, key = directory / "lab-cert.pem", directory / "lab-key.pem"
    names = {"DNS:localhost", "IP:127.0.0.1", "IP:::1"}
    names.add(f"IP:{host}" if host.replace(".", "").isdigit() or ":" in host else f"DNS:{host}")
    command = [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
               "-keyout", str(key), "-out", str(cert), "-days", str(VALID_DAYS), "-subj", "/CN=inspector lab server",
               "-addext", f"subjectAltName={','.join(sorted(names))}"]
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=OPENSSL_TIMEOUT)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
        detail = getattr(error, "stderr", b"") or b""
        last = detail.decode("utf-8", "replace").strip().splitlines()
        raise InspectorError(f"openssl could not make a certificate: {last[-1] if last else error}") from None
    return Certificate(cert, key)
