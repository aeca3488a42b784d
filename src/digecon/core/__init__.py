"""Shared pieces below every stage: errors, provinces, settings, logging, atomic file writing."""
