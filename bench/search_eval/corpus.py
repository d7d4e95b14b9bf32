"""The real archive: rosinality/ml-papers (MIT licence), ingested by paperbot into a fresh store.

    python -m bench.search_eval.corpus [--repo PATH] [--out DIR] [--rebuild]

``--repo`` takes a work tree (used in place) or a git directory, bare or not (cloned once into
``<out>/ml-papers-<commit>``). Without it, https://github.com/rosinality/ml-papers is cloned
into ``<out>/ml-papers`` unless that folder is already there (it is then used as it is).

The store is ``<out>/search-eval.sqlite3``, filled from the archive's ``papers/`` folder through
``bot.app.open_store`` (the CLI's and the bot's path). It is rebuilt when the archive's commit or
paperbot's code (a hash of ``bot/``) differs from the last build (``search-eval.json``), or with
``--rebuild``; otherwise reused. Some notes fail to ingest (a note held twice with different
text, a file in no known format): the counts say how many were stored, and the failures are
listed; they do not stop anything.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.search_eval import _paperbot as pb

BENCH = Path(__file__).resolve().parent.parent
OUT = BENCH / "out"
BOT = BENCH.parent / "bot"
UPSTREAM = "https://github.com/rosinality/ml-papers"
NOTES = "papers"  # the notes live here; README.md and LICENSE at the top are not notes
DB_NAME = "search-eval.sqlite3"
STAMP_NAME = "search-eval.json"


@dataclass(frozen=True)
class Archive:
    root: Path  # a work tree
    commit: str

    @property
    def notes(self) -> Path:
        return self.root / NOTES

    def relative(self, source: str) -> str:
        """A stored source path as a path in the repository (``papers/2023/X.md``)."""
        path = Path(source)
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def _git(*args: str, cwd: Path | None = None) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True, encoding="utf-8"
    )
    return done.stdout.strip()


def _is_work_tree(path: Path) -> bool:
    try:
        return _git("-C", str(path), "rev-parse", "--is-inside-work-tree") == "true"
    except subprocess.CalledProcessError:
        return False


def prepare(repo: Path | None, out: Path = OUT) -> Archive:
    """A work tree of the archive, cloning it if needed (see the module docstring)."""
    out.mkdir(parents=True, exist_ok=True)
    if repo is None:
        root = out / "ml-papers"
        if not root.exists():
            print(f"cloning {UPSTREAM} into {root}", file=sys.stderr)
            _git("clone", "--quiet", UPSTREAM, str(root))
    elif _is_work_tree(repo):
        root = Path(_git("-C", str(repo), "rev-parse", "--show-toplevel"))
    else:
        commit = _git("--git-dir", str(repo), "rev-parse", "HEAD")
        root = out / f"ml-papers-{commit[:12]}"
        if not root.exists():
            print(f"cloning {repo} into {root}", file=sys.stderr)
            _git("clone", "--quiet", str(repo), str(root))
    if not (root / NOTES).is_dir():
        raise SystemExit(f"error: {root} has no {NOTES}/ folder: is it rosinality/ml-papers?")
    return Archive(root.resolve(), _git("-C", str(root), "rev-parse", "HEAD"))


def code_fingerprint() -> str:
    """A hash of paperbot's sources (``bot/``): a changed search or ingest means a new store."""
    digest = hashlib.sha256()
    for path in sorted(BOT.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".toml", ".sql"}:
            digest.update(path.relative_to(BOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _stamp(archive: Archive, out: Path, *, rebuild: bool) -> dict[str, Any]:
    """What the store must have been built from; an unusable old store is removed."""
    db, stamp_path = out / DB_NAME, out / STAMP_NAME
    wanted = {"archive_commit": archive.commit, "code": code_fingerprint(), "db": str(db)}
    stamp = json.loads(stamp_path.read_text()) if stamp_path.exists() else {}
    if rebuild or not db.exists() or any(stamp.get(k) != v for k, v in wanted.items()):
        stamp_path.unlink(missing_ok=True)
        pb.remove_store(db)
        print(f"ingesting {archive.notes} into {db}", file=sys.stderr)
        return wanted
    return stamp


def _write_stamp(out: Path, stamp: dict[str, Any]) -> None:
    (out / STAMP_NAME).write_text(json.dumps(stamp, ensure_ascii=False, indent=2) + "\n")


async def open_store(
    archive: Archive, out: Path = OUT, *, rebuild: bool = False
) -> tuple[pb.Store, pb.IngestSummary]:
    """The evaluation's store, fresh or reused; with what its ingest stored."""
    stamp = _stamp(archive, out, rebuild=rebuild)
    store, summary = await pb.open_archive_store(out / DB_NAME, archive.notes)
    if summary is not None:
        stamp = {**stamp, "ingest": asdict(summary)}
        _write_stamp(out, stamp)
    return store, pb.IngestSummary(**stamp["ingest"])


def describe(archive: Archive, summary: pb.IngestSummary) -> str:
    """One line for the report: what was ingested and how much of it was stored."""
    return (
        f"archive {archive.root} at {archive.commit[:12]}: {summary.files} note files, "
        f"{summary.new + summary.unchanged} stored as {summary.documents} documents "
        f"({summary.papers} papers), {summary.failed} failed"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, help="a work tree or git directory of ml-papers")
    parser.add_argument("--out", type=Path, default=OUT, help="where clones and the store go")
    parser.add_argument("--rebuild", action="store_true", help="ingest into a new store")
    args = parser.parse_args(argv)
    archive = prepare(args.repo, args.out)

    async def run() -> pb.IngestSummary:
        store, summary = await open_store(archive, args.out, rebuild=args.rebuild)
        await store.close()
        return summary

    summary = asyncio.run(run())
    print(describe(archive, summary))
    for error in summary.errors:
        print(f"  failed: {error.replace(f'{archive.root}/', '')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
