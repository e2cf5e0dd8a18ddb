"""Editors' tools: import a published page, format, scaffold, review a pull request."""
