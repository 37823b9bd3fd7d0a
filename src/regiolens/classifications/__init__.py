"""Industry classifications: WZ 2008 / WZ 2025, NACE, NAICS, and source-specific groupings."""
