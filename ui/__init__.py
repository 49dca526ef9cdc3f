"""The Streamlit web UI: learner pages (learn, progress, ask); instructor and classroom pages
plug in as ``teachback.ui.instructor.PAGES`` and ``teachback.ui.classroom.PAGES``."""
