"""teachback's web UI: ``teachback serve`` runs ``streamlit run`` on this file.

Who is signed in (``teachback.ui.identity``) decides the menu (``teachback.ui.navigation``):
the sign-in page before anything else, the learner's pages for a learner, and the instructor
and classroom pages for an instructor only (``teachback.ui.instructor.PAGES``,
``teachback.ui.classroom.INSTRUCTOR_PAGES`` and ``LEARNER_PAGES``: ``st.Page``s).
"""

import streamlit as st

from teachback.ui import identity
from teachback.ui.navigation import page_sections

st.set_page_config(page_title="teachback", page_icon=":material/school:", layout="wide")
identity.accept_code_link()
identity.accept_oidc()
identity.flush_cookie()
st.navigation(page_sections(identity.current_user())).run()
