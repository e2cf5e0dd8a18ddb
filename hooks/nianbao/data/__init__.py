"""Open data: CSV/JSON export and the JSON Schemas of the report files."""
