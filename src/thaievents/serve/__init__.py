"""Ways out of the project: `thaievents extract`, the MLflow pyfunc model, the output schema."""
