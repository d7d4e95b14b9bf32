"""Benchmarks for paperbot: a synthetic digest corpus (`bench.generate`) and the measurements
(`bench.run`): ingest throughput, search latency, memory, database size and search relevance
against a plain FTS5 `unicode61` baseline. The measured numbers are in `bench/README.md`."""
