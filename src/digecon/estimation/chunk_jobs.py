"""What the jobs of a chunked estimate share (workflow/rules/chunks.smk): the settings each stage takes, a chunk's rows.

The stages themselves are :mod:`digecon.estimation.stages`; this only reads a chunk's inputs from
the processed files and turns the settings into the stages' keyword arguments.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from digecon.core.settings import Settings
from digecon.estimation.stages import chunk_rows


def stage_options(settings: Settings) -> dict[str, Any]:
    """Give the keyword arguments every per-chunk stage and gather takes, from the run's settings.

    Parameters
    ----------
    settings
        The run's settings.

    Returns
    -------
    dict
        ``chains``, ``methods``, ``conventions``, ``recommended_method``, ``recommended_convention``.
    """
    return {
        "chains": settings.indicators.chains,
        "methods": list(settings.estimate.methods),
        "conventions": list(settings.estimate.conventions),
        "recommended_method": settings.estimate.recommended_method,
        "recommended_convention": settings.estimate.recommended_convention,
    }


def read_chunk(
    io_tables: str | Path, yearbook: str | Path, ratios: str | Path, assignment: str | Path, chunk: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Read the rows of one chunk's regions from the processed IO tables, yearbook and ratios.

    Parameters
    ----------
    io_tables, yearbook, ratios
        ``data/processed/io_tables.csv``, ``yearbook.csv``, ``ratios.csv``.
    assignment
        The chunk of each region (``data/processed/chunks/assignment.csv``,
        :func:`digecon.estimation.stages.region_chunks`).
    chunk
        The chunk number.

    Returns
    -------
    (io_tables, yearbook, ratios)
        The chunk's rows of each.
    """
    regions = pd.read_csv(assignment)
    frames = (
        pd.read_csv(io_tables, dtype={"sector_code": str}),
        pd.read_csv(yearbook),
        pd.read_csv(ratios),
    )
    io, book, split = (chunk_rows(frame, regions, chunk) for frame in frames)
    return io, book, split
