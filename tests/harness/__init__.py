"""Checks of the harness itself: browser choice, test data, clock rule, reports."""
