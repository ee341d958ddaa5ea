"""What every ``geomap`` command shares: its exit codes, its one-line messages on stderr and
the progress bar of a long run."""

from __future__ import annotations

import sys

EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def _err(msg: str) -> None:
    from geomap.folders import printable

    # File names and reasons come from the inputs: escape sequences in them never reach the terminal.
    print(f"geomap: {printable(msg)}", file=sys.stderr)


def _progress_bar(total: int, quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="article", desc="extracting", file=sys.stderr, dynamic_ncols=True)


def _note_folder_docs(articles, quiet: bool) -> None:
    """Say on stderr which folder documentation files (README, SOURCES...) were not read as articles.

    They are not skipped inputs (the exit code stays 0); the note is there so that an article
    someone named ``sources.md`` is not dropped unseen.
    """
    docs = [e["input"] for e in articles.attrs.get("inputs", []) if "not an article" in e.get("reason", "")]
    if quiet or not docs:
        return
    shown = ", ".join(docs[:3]) + (f" and {len(docs) - 3} more" if len(docs) > 3 else "")
    _err(
        f"{shown}: folder documentation (README, SOURCES...), not read as articles; name a file as an input to read it"
    )
