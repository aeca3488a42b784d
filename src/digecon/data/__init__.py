"""Data files shipped with the package: provinces, sector concordance, detailed sectors, tile grid, plot style."""
