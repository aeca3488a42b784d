"""Stage 3, writing outputs: wide tables and exports, figures, the gallery, provenance."""
