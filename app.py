"""teachback's web UI: ``teachback serve`` runs ``streamlit run`` on this file.

Learner pages come from ``teachback.ui``; instructor and classroom pages are added when their
modules exist and export ``PAGES`` (a list of ``st.Page``), each under its own section
(see ``teachback.ui.common.page_sections``).
"""

import streamlit as st

from teachback.ui.common import page_sections

st.set_page_config(page_title="teachback", page_icon=":material/school:", layout="wide")
st.navigation(page_sections()).run()
