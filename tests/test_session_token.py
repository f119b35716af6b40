"""The signed sign-in token that keeps a password sign-in across reloads (store.auth)."""

from __future__ import annotations

from store.auth import SESSION_SECONDS, hash_password, session_token, verify_session_token

NOW = 1_765_000_000.0


def test_a_token_names_its_analyst_until_it_expires():
    stored = hash_password("pw", iterations=1000)
    token = session_token("Aïssata (EUD Bamako)", stored, NOW)
    assert verify_session_token(token, stored, NOW + 60) == "Aïssata (EUD Bamako)"
    assert verify_session_token(token, stored, NOW + SESSION_SECONDS - 1) is not None
    assert verify_session_token(token, stored, NOW + SESSION_SECONDS + 1) is None  # expired


def test_a_forged_damaged_or_old_password_token_is_refused():
    stored = hash_password("pw", iterations=1000)
    token = session_token("analyst", stored, NOW)
    encoded, expiry, signature = token.split(".")
    assert verify_session_token(f"{encoded}.{int(expiry) + 10**6}.{signature}", stored, NOW) is None  # longer life
    assert verify_session_token(f"YWRtaW4.{expiry}.{signature}", stored, NOW) is None  # another name
    assert verify_session_token(token[:-1] + ("0" if token[-1] != "0" else "1"), stored, NOW) is None
    assert verify_session_token("garbage", stored, NOW) is None
    assert verify_session_token("a.b.c", stored, NOW) is None
    assert verify_session_token(token, hash_password("new password", iterations=1000), NOW) is None
    assert verify_session_token(token, "", NOW) is None  # no password configured: no session
    assert "pw" not in token
