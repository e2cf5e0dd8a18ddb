"""Reading and checking, in floors that each import only the ones below them (README.md, 代码地图):
the nouns (spec.py, editions/, model.py, held.py, fields.py, figures.py); reading (located.py,
fastpath.py, cache.py, safety.py, schema.py, load.py); the rules (rules.py, textrules.py); the
check (check.py). Beside the chain, wrapping it: parallel.py (every core) and checkcache.py (by
folder content), with store.py and atomic.py for their files. Nothing here imports another stage."""
