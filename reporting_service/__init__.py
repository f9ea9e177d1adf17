"""Targets and reports: facts built from every service's feed."""
