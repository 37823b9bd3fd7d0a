"""regiolens — cluster analytics and benchmarking for regional economic development.

The package is organised as in ``DESIGN.md``: ``ingest`` turns official files into canonical
observations, ``warehouse`` stores them with provenance and answers panel queries, ``regions`` and
``classifications`` describe the two axes of every panel.
"""

__version__ = "0.1.0"
