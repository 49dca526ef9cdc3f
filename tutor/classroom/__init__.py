"""Classroom sessions: one instructor, many learners on one published curriculum.

* ``sessions``  start a session, join codes, members, who may see whose data;
* ``controls``  the instructor's cap / push / pause / end, and ``classroom_constraints`` -- the
  one function the tutor reads them through;
* ``dashboard`` pure aggregation of attempts into the live view (``units``: the class by unit;
  ``misconceptions``: the wrong answers given most often, grouped);
* ``report``    the end-of-session summary (CSV and a page with plots).

The loopback HTTP server the classroom benchmark drives is ``benchmarks/classroom_api.py``: it
serves tutor sessions, which read these controls, so it sits above both.
"""
