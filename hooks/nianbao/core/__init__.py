"""Reading and checking: the editions, the report model, loading, the rules, the check."""
