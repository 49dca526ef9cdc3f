"""The Account page: who is signed in, a password of one's own, and signing out."""

from __future__ import annotations

import streamlit as st

from teachback.curricula import accounts
from teachback.errors import TeachbackError
from teachback.ui import identity
from teachback.ui.common import get_db, plain


def render() -> None:
    st.title("Your account")
    user = identity.current_user()
    if user is None:
        identity.sign_in_form()
        st.stop()
    role = "instructor" if user.is_instructor else "learner"
    st.markdown(
        f"Signed in as **{plain(user.display_name)}** (username `{user.username}`), {role}."
    )
    st.subheader("Change password" if user.has_password else "Set a password")
    if not user.has_password:
        st.caption("With a password you can sign in again without a new code from your instructor.")
    with st.form("set_password"):
        current = (
            st.text_input("Current password", type="password", key="current_password")
            if user.has_password
            else None
        )
        new = st.text_input("New password (at least 8 characters)", type="password",
                            key="new_password")  # fmt: skip
        again = st.text_input("New password again", type="password", key="new_password_again")
        saved = st.form_submit_button("Save password")
    if saved:
        if new != again:
            st.error("The two new passwords differ.")
        else:
            try:
                accounts.change_password(
                    get_db(), user.id, current, new, client=identity.client_address()
                )
            except TeachbackError as err:
                st.error(identity.sentence(err))
            else:
                st.success("Password saved. Use it with your username to sign in next time.")
    st.divider()
    if st.button("Sign out", key="account_sign_out"):
        identity.sign_out()
        st.rerun()
