"""Analyst passwords: PBKDF2-SHA256 hashes, compared in constant time. No Streamlit here.

The stored form is ``pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>``; make one with
``python -m cli hash-password`` and put it in ``.streamlit/secrets.toml`` (never committed).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ALGORITHM = "pbkdf2_sha256"
#: OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256.
ITERATIONS = 600_000


def hash_password(password: str, *, iterations: int = ITERATIONS, salt: bytes | None = None) -> str:
    """Hash a password for the secrets file."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return f"{ALGORITHM}${iterations}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches the stored hash; False for any malformed hash."""
    try:
        algorithm, iterations, salt, expected = stored.split("$")
        if algorithm != ALGORITHM:
            return False
        digest = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), int(iterations))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest.hex(), expected)


def analyst_settings(section: Mapping[str, Any]) -> dict[str, Any]:
    """The analyst credential: the ``[analyst]`` secrets (``password_hash``, ``name``), overridden by the environment.

    ``EUTF_ANALYST_PASSWORD_HASH`` and ``EUTF_ANALYST_NAME`` replace the secrets' values when
    set, for deployments that pass secrets through the environment. The app
    (:mod:`dashboard.access`) and the command line (``python -m cli publish``) both use it.
    """
    config = dict(section)
    if os.environ.get("EUTF_ANALYST_PASSWORD_HASH"):
        config = {
            **config,
            "password_hash": os.environ["EUTF_ANALYST_PASSWORD_HASH"],
            "name": os.environ.get("EUTF_ANALYST_NAME", config.get("name", "analyst")),
        }
    return config


def secrets_file(folder: Path | None = None) -> dict[str, Any]:
    """The secrets Streamlit would read, read without Streamlit.

    ``~/.streamlit/secrets.toml``, then ``<folder>/.streamlit/secrets.toml`` (``folder``: the
    working directory), the latter's sections winning. An absent file is empty.

    Raises:
        ValueError: a secrets file that is not valid TOML (``tomllib.TOMLDecodeError``).
    """
    merged: dict[str, Any] = {}
    for path in (Path.home() / ".streamlit" / "secrets.toml", (folder or Path.cwd()) / ".streamlit" / "secrets.toml"):
        if path.is_file():
            merged |= tomllib.loads(path.read_text(encoding="utf-8"))
    return merged


#: How long a password sign-in lasts in the browser (seconds): a working day.
SESSION_SECONDS = 8 * 3600


def session_token(name: str, password_hash: str, now: float, seconds: int = SESSION_SECONDS) -> str:
    """A signed sign-in token for a browser cookie: ``<name, base64url>.<expiry, unix s>.<HMAC-SHA256>``.

    The key is the configured password hash (secret, server-side), so changing the analyst
    password ends every session signed in with the old one. The token names no password.
    """
    import base64

    encoded = base64.urlsafe_b64encode(name.encode("utf-8")).decode("ascii").rstrip("=")
    body = f"{encoded}.{int(now) + seconds}"
    signature = hmac.new(password_hash.encode("utf-8"), body.encode("ascii"), hashlib.sha256).hexdigest()
    return f"{body}.{signature}"


def verify_session_token(token: str, password_hash: str, now: float) -> str | None:
    """The analyst name a token was issued for, or None when it is forged, damaged or expired."""
    import base64

    try:
        encoded, expiry, signature = token.split(".")
        body = f"{encoded}.{expiry}"
        expected = hmac.new(password_hash.encode("utf-8"), body.encode("ascii"), hashlib.sha256).hexdigest()
        if not password_hash or not hmac.compare_digest(signature, expected) or int(expiry) < now:
            return None
        return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode("utf-8")
    except (ValueError, UnicodeError):
        return None
