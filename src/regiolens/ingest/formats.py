"""Imports every built-in reader module so that each registers itself.

The sniffers are disjoint (each accepts only its own format, and `generic` and `microdata` never sniff), so
the order of registration does not matter for detection.
"""

from regiolens.ingest import (
    bkg,  # noqa: F401
    cbp,  # noqa: F401
    generic,  # noqa: F401
    genesis,  # noqa: F401
    gisco,  # noqa: F401
    jsonstat,  # noqa: F401
    microdata,  # noqa: F401
    population,  # noqa: F401
    usatlas,  # noqa: F401
)
