"""Analyses that compose warehouse panels and metrics into typed results for CLI, web and reports."""
