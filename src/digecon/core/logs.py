"""Logging set-up shared by the command line and the workflow scripts."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from digecon.core.errors import ConfigError, InputError, RetrievalError

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


@contextmanager
def logged_run(log_file: str | Path | None = None) -> Iterator[logging.Logger]:
    """Log to ``log_file`` (and stderr); turn bad-input errors into a clean exit with the message.

    A user who feeds a bad table sees ``digecon: <file>, sheet ..., cell ...: <problem>``,
    not a Python traceback; programming errors still raise with their traceback.

    Parameters
    ----------
    log_file
        File the log is written to (overwritten; its folder is created), or None for stderr only.

    Yields
    ------
    logging.Logger
        The ``digecon`` logger (the root logger is set to level INFO).

    Raises
    ------
    SystemExit
        For an :class:`~digecon.core.errors.InputError`, :class:`~digecon.core.errors.ConfigError` or
        :class:`~digecon.core.errors.RetrievalError` raised inside the block: the message is logged
        (to stderr and the log file) and the exit message is ``digecon: <message>``.
    """
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file is not None:
        Path(log_file).parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(log_file, mode="w", encoding="utf-8"))
    logging.basicConfig(level=logging.INFO, format=FORMAT, handlers=handlers, force=True)
    logger = logging.getLogger("digecon")
    try:
        yield logger
    except (InputError, RetrievalError, ConfigError) as exc:
        logger.error("%s", exc)
        raise SystemExit(f"digecon: {exc}") from None
