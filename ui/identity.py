"""Who is using this browser tab: the signed-in account, kept server-side.

A sign-in (``teachback.curricula.accounts``) returns a session token. The token lives in this
tab's ``st.session_state`` and, so that a reload or a new tab stays signed in, in a
``teachback_session`` cookie (``SameSite=Strict``; ``Secure`` over HTTPS) that the browser sends
with the page's first request (``st.context.cookies``). The store keeps only the token's hash and
decides who it belongs to: nothing in the address bar (``?learner=``) grants anything.

A one-time code link (``/?code=...``) signs its learner in and is removed from the address bar.
The client address (``st.context.ip_address``) feeds the store's sign-in throttle.

Not handled: the cookie is set from the page (Streamlit cannot set response headers), so it is
not ``HttpOnly``; pages never run source HTML or scripts, which is what ``HttpOnly`` guards.
"""

from __future__ import annotations

import json

import streamlit as st

from teachback.curricula import accounts
from teachback.curricula.accounts import User
from teachback.errors import TeachbackError

COOKIE = "teachback_session"
TOKEN = "auth_token"  # st.session_state key
_PENDING_COOKIE = "_auth_cookie"  # a cookie change to send with the next run


def _db():
    from teachback.ui.common import get_db

    return get_db()


def sentence(err: Exception) -> str:
    """An error as a sentence shown literally: ``"wrong code"`` -> ``"Wrong code"``."""
    from teachback.ui.common import plain

    text = str(err) or "That did not work."
    return plain(text[:1].upper() + text[1:])


def client_address() -> str:
    """The browser's address as the server sees it (a proxy's, behind one)."""
    try:
        address = st.context.ip_address
    except Exception:  # no browser connection (e.g. a script run in a test)
        return ""
    return address if isinstance(address, str) else ""


def _cookie_token() -> str | None:
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:  # no browser connection (e.g. a script run in a test)
        return None
    return value if isinstance(value, str) and value else None


def current_user() -> User | None:
    """The signed-in account of this tab, checked against the store on every run."""
    state = st.session_state
    token = state.get(TOKEN)
    if token is None and not state.get("_signed_out"):
        token = _cookie_token()
    user = accounts.user_for_token(_db(), token) if token else None
    if user is None:
        state.pop(TOKEN, None)
        return None
    state[TOKEN] = token
    return user


def remember(token: str) -> None:
    """Sign this tab in with ``token`` (and, from the next run, the browser's cookie)."""
    st.session_state[TOKEN] = token
    st.session_state.pop("_signed_out", None)
    st.session_state[_PENDING_COOKIE] = token


def sign_out() -> None:
    """End the session in the store and forget it here; the page then shows the sign-in."""
    state = st.session_state
    accounts.sign_out(_db(), state.get(TOKEN) or _cookie_token())
    state.clear()  # nothing of the previous person stays in this tab
    state["_signed_out"] = True  # the cookie of this tab's first request is dead, not reused
    state[_PENDING_COOKIE] = ""


def flush_cookie() -> None:
    """Send a pending cookie change to the browser (once, after a sign-in or sign-out)."""
    token = st.session_state.pop(_PENDING_COOKIE, None)
    if token is None:
        return
    age = int(accounts.SESSION_TTL.total_seconds()) if token else 0
    value = json.dumps(f"{COOKIE}={token}; path=/; max-age={age}; SameSite=Strict")
    st.html(
        "<script>document.cookie = "
        f"{value} + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
    )


def accept_code_link() -> None:
    """Sign in with the one-time code of a ``/?code=...`` link, then drop it from the URL."""
    code = st.query_params.get("code")
    if not code:
        return
    del st.query_params["code"]
    try:
        token, _ = accounts.sign_in_with_code(_db(), code, client=client_address())
    except TeachbackError as err:
        st.session_state["_sign_in_error"] = str(err)
        return
    if st.session_state.get(TOKEN):
        accounts.sign_out(_db(), st.session_state[TOKEN])
    remember(token)


# --------------------------------------------------------------------------------- OIDC


def _secret(*keys):
    try:
        value = st.secrets
        for k in keys:
            value = value[k]
        return value
    except Exception:  # no secrets file, or the key is not there
        return None


def oidc_configured() -> bool:
    return bool(_secret("auth")) and hasattr(st, "login")


def accept_oidc() -> None:
    """A listed instructor back from the identity provider gets a session of their own.

    Only e-mails in ``[teachback] instructor_emails`` (secrets.toml) qualify; with no list,
    nobody does.
    """
    if not oidc_configured() or st.session_state.get(TOKEN):
        return
    user = getattr(st, "user", None)
    if user is None or not user.get("is_logged_in"):
        return
    email = user.get("email") or ""
    allowed = _secret("teachback", "instructor_emails")
    if not accounts.oidc_instructor(email, allowed):
        st.session_state["_sign_in_error"] = (
            "No instructor list is configured for sign-in through the identity provider "
            "([teachback] instructor_emails in secrets.toml)."
            if not allowed
            else f"{email} is not on the instructor list."
        )
        return
    try:
        token, _ = accounts.oidc_session(_db(), email, client=client_address())
    except TeachbackError as err:
        st.session_state["_sign_in_error"] = str(err)
        return
    remember(token)


# --------------------------------------------------------------------------------- widgets


def sign_in_form(*, key: str = "sign_in") -> None:
    """Username and password, and a one-time code for learners; reruns once signed in."""
    from teachback.ui.common import plain

    if message := st.session_state.pop("_sign_in_error", None):
        st.error(plain(message))
    with st.form(key):
        username = st.text_input("Username", key=f"{key}_username", max_chars=60)
        password = st.text_input("Password", type="password", key=f"{key}_password")
        submitted = st.form_submit_button("Sign in")
    if submitted:
        try:
            token, _ = accounts.sign_in(_db(), username, password, client=client_address())
        except TeachbackError as err:
            st.error(sentence(err))
        else:
            remember(token)
            st.rerun()
    with st.expander("I have a one-time code from my instructor"):
        with st.form(f"{key}_code_form"):
            code = st.text_input(
                "Sign-in code",
                key=f"{key}_code",
                max_chars=30,
                help="Like ABCD-EFGH-JKMN; letters and digits, any case",
            )
            used = st.form_submit_button("Sign in with the code")
        if used:
            try:
                token, _ = accounts.sign_in_with_code(_db(), code, client=client_address())
            except TeachbackError as err:
                st.error(sentence(err))
            else:
                remember(token)
                st.rerun()
    if oidc_configured():
        st.button("Sign in with your identity provider (instructors)", on_click=st.login,
                  key=f"{key}_oidc")  # fmt: skip


def sidebar_account(user: User) -> None:
    """Who is signed in, and the way out."""
    from teachback.ui.common import plain

    with st.sidebar:
        role = "Instructor" if user.is_instructor else "Learner"
        st.markdown(f"**{plain(user.display_name)}** \u00b7 {role}")
        if st.button("Sign out", key="sign_out"):
            sign_out()
            st.rerun()
