"""Pydantic models of every payload that crosses a service boundary."""
