"""Fixtures of the accounts app's tests."""

from __future__ import annotations
