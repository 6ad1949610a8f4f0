"""Fixture files for the writing, office and dev skill tests."""
