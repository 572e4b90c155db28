"""Readers for the research datasets. Code takes a path; nothing here is ever shipped."""
