"""The test suite: unit tests per module, real-data tests, workflow integration tests and their helpers."""
