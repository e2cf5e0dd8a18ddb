"""How a build scales: worker processes, the build cache, shards and their merge."""
