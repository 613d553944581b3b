"""Kept for scrapyd-deploy, which builds its egg with `setup.py bdist_egg`: every
packaging setting lives in pyproject.toml."""

from setuptools import setup

setup()
