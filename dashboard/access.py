"""Who may upload, publish and restore: the analyst role.

Viewers browse without logging in. The analyst role comes from Streamlit's built-in OIDC
login (``st.login``) when ``[auth]`` is configured in secrets and the user's e-mail is
listed under ``[analysts] emails``; otherwise from the analyst password whose hash is in
``[analyst] password_hash``. Every action that writes checks :func:`is_analyst` again on
the server, whatever the page shows.
"""

from __future__ import annotations

import time
from typing import Any

import streamlit as st

from dashboard.sidebar import language
from dashboard.widgets import md_escape
from domain.i18n import _
from store.auth import SESSION_SECONDS, analyst_settings, session_token, verify_password, verify_session_token

_ROLE_KEY = "_role"
_NAME_KEY = "_analyst_name"
#: The browser cookie that keeps a password sign-in across reloads (a signed token, store.auth).
COOKIE = "eutf_analyst"


def _secret(section: str) -> dict[str, Any]:
    try:
        return dict(st.secrets.get(section, {}))
    except FileNotFoundError:  # no secrets file at all
        return {}
    except Exception:
        return {}


def _analyst() -> dict[str, Any]:
    """The ``[analyst]`` secrets.

    ``EUTF_ANALYST_PASSWORD_HASH`` and ``EUTF_ANALYST_NAME`` override them when set, for
    deployments that pass secrets through the environment.
    """
    return analyst_settings(_secret("analyst"))


def oidc_configured() -> bool:
    """True when ``[auth]`` is configured for ``st.login``."""
    return bool(_secret("auth"))


def password_configured() -> bool:
    """True when an analyst password hash is configured."""
    return bool(_analyst().get("password_hash"))


def is_analyst() -> bool:
    """True when this session has the analyst role."""
    if oidc_configured():
        user = st.user
        emails = {e.casefold() for e in _secret("analysts").get("emails", [])}
        if getattr(user, "is_logged_in", False) and str(user.get("email", "")).casefold() in emails:
            return True
    if st.session_state.get(_ROLE_KEY) != "analyst" and not st.session_state.get("_signed_out"):
        _resume_from_cookie()
    return st.session_state.get(_ROLE_KEY) == "analyst"


def _resume_from_cookie() -> None:
    """Give this session the analyst role when the browser holds a valid sign-in token (after a reload)."""
    stored = _analyst().get("password_hash", "")
    try:
        token = st.context.cookies.get(COOKIE)
    except Exception:  # no browser context (tests, bare mode)
        token = None
    name = verify_session_token(token, stored, time.time()) if token and stored else None
    if name is not None:
        st.session_state[_ROLE_KEY] = "analyst"
        st.session_state[_NAME_KEY] = name


def _write_cookie(value: str, seconds: int) -> None:
    """Set (or, with ``seconds=0``, clear) the sign-in cookie in the browser (Streamlit sets no cookie itself)."""
    st.html(
        "<script>document.cookie = "
        f"'{COOKIE}={value}; Path=/; Max-Age={seconds}; SameSite=Strict'"
        " + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
    )


def analyst_name() -> str:
    """The name recorded with a publish."""
    if oidc_configured() and getattr(st.user, "is_logged_in", False):
        return str(st.user.get("email") or st.user.get("name") or "analyst")
    return st.session_state.get(_NAME_KEY, "analyst")


def _check_password() -> None:
    password = st.session_state.get("analyst_password", "")
    stored = _analyst().get("password_hash", "")
    st.session_state["analyst_password"] = ""
    if stored and verify_password(password, stored):
        name = str(_analyst().get("name", "analyst"))
        st.session_state[_ROLE_KEY] = "analyst"
        st.session_state[_NAME_KEY] = name
        st.session_state.pop("_login_failed", None)
        st.session_state.pop("_signed_out", None)
        st.session_state["_cookie"] = session_token(name, stored, time.time())  # written on the next render
    else:
        time.sleep(1)  # slows guessing
        st.session_state["_login_failed"] = True


def sign_out() -> None:
    """Drop the analyst role from this session and, on the next render, the browser's sign-in cookie."""
    st.session_state.pop(_ROLE_KEY, None)
    st.session_state.pop(_NAME_KEY, None)
    st.session_state["_signed_out"] = True  # this session's cookie (read at connection) no longer counts
    st.session_state["_cookie"] = ""


def sign_in() -> bool:
    """Render the analyst sign-in (OIDC button or password form); return :func:`is_analyst`."""
    lang = language()
    pending = st.session_state.pop("_cookie", None)
    if pending is not None:  # after a password sign-in (a token) or a sign-out (empty: cleared)
        _write_cookie(pending, SESSION_SECONDS if pending else 0)
    if is_analyst():
        cols = st.columns([4, 1])
        cols[0].caption(_("Signed in as analyst: {name}", lang, name=md_escape(analyst_name())))
        if oidc_configured() and getattr(st.user, "is_logged_in", False):
            cols[1].button(_("Log out", lang), on_click=st.logout, key="logout")
        else:
            cols[1].button(_("Sign out", lang), on_click=sign_out, key="sign_out")
        return True
    st.info(
        _("Uploading and publishing need the analyst role. Viewers can browse every other page.", lang),
        icon=":material/lock:",
    )
    if oidc_configured():
        if getattr(st.user, "is_logged_in", False):
            st.warning(_("You are logged in, but your e-mail is not on the analysts' list.", lang))
        else:
            st.button(_("Log in", lang), on_click=st.login, key="login")
        return False
    if not password_configured():
        st.warning(
            _(
                "No analyst account is configured on this server: an administrator adds one to "
                ".streamlit/secrets.toml (see .streamlit/secrets.example.toml and the README).",
                lang,
            )
        )
        return False
    with st.form("analyst_sign_in", clear_on_submit=True):
        st.text_input(_("Analyst password", lang), type="password", key="analyst_password")
        st.form_submit_button(_("Sign in", lang), on_click=_check_password, key="sign_in_submit")
    if st.session_state.get("_login_failed"):
        st.error(_("Wrong password.", lang))
    return False
