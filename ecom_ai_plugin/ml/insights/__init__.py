"""Models behind staff insights: demand forecasting (statsforecast) and category suggestions."""
