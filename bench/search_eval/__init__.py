"""Search and related papers measured on a real notes archive (rosinality/ml-papers).

    python -m bench.search_eval.corpus     # clone/ingest the archive (the others do it too)
    python -m bench.search_eval.run        # queries.toml: paperbot /search vs two baselines
    python -m bench.search_eval.related    # related.toml: /paper related vs a title baseline

Run by hand (it needs the archive, from GitHub or ``--repo``); CI never runs it. Results and
how to read them: ``bench/README.md``, "Real-archive search evaluation".
"""
