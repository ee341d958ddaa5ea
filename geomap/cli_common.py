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
