"""Shared pytest set-up: YAML scenario files under tests/ are collected as tests."""

pytest_plugins = ["redress.testing.plugin"]
