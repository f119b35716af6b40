"""Analyst passwords: PBKDF2-SHA256 hashes, compared in constant time. No Streamlit here.

The stored form is ``pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>``; make one with
``python -m etl hash-password`` and put it in ``.streamlit/secrets.toml`` (never committed).
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
    (:mod:`dashboard.access`) and the command line (``python -m etl publish``) both use it.
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
