"""Regions: code forms and resolution, the dated code history, named groups, geometry."""
