"""Stage 2, estimating: indicator chains, coefficient paths (methods), the estimate, backtest and bands."""
