"""Stage 1, reading inputs: the input registry, retrieval, IO tables and their checks, yearbook series, ratios."""
