"""The site build at scale: the MkDocs adapter, worker processes, the build cache, shards and their merge, search."""
