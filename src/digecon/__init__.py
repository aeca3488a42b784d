"""digecon: digital-economy value added of China's 31 provinces from regional IO tables."""

from importlib.metadata import PackageNotFoundError, version

from digecon.api import Inputs, Result, estimate, load_inputs

try:
    __version__ = version("digecon")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["Inputs", "Result", "__version__", "estimate", "load_inputs"]
