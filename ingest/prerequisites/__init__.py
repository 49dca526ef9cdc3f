"""Prerequisite edges between concepts, and units in a teachable order.

``linking.link_prerequisites(concepts, documents)`` gives the edges (from ``mentions``, where
the concepts occur; ``scoring``, whether a pair is a prerequisite pair; ``code_edges``, what the
code's structure says); ``units.order_units(concepts, edges, documents)`` the units. The
embedded engine calls both by this package's name.
"""

from teachback.ingest.prerequisites.linking import link_prerequisites
from teachback.ingest.prerequisites.units import order_units

__all__ = ["link_prerequisites", "order_units"]
