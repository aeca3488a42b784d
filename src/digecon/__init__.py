"""digecon: digital-economy value added of China's 31 provinces from regional IO tables.

The package is grouped by stage, imports going only downward: :mod:`digecon.inputs` (registry,
retrieval, tables, yearbook, ratios), :mod:`digecon.estimation` (indicators, methods, estimate,
backtest, bands), :mod:`digecon.outputs` (exports, plots, gallery, provenance), all built on
:mod:`digecon.core` (errors, provinces, settings, logging, files). :mod:`digecon.api` ties them
together; its names are loaded on first use, so that ``import digecon.core.settings`` (done by the
Snakefile at parse time) stays light.
"""

from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("digecon")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["Inputs", "Result", "Settings", "__version__", "estimate", "load_inputs", "load_settings"]


def __getattr__(name: str) -> Any:
    """Import the API's names on first use (PEP 562)."""
    if name in {"Inputs", "Result", "estimate", "load_inputs"}:
        from digecon import api

        return getattr(api, name)
    if name in {"Settings", "load_settings"}:
        from digecon.core import settings

        return getattr(settings, name)
    raise AttributeError(f"module 'digecon' has no attribute {name!r}")
