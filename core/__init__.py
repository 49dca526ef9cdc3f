"""The bottom layer: shared types (``document``) and text utilities (``text``).

Every other package may import it; it imports none of them, so it can never close a cycle.
"""
