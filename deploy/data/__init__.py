"""Builders of the data files the services ship (run by hand, their output is committed)."""
