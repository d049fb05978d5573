"""The ``--device`` names a user can give, without importing torch (the command line's
parser and the query-service client read them)."""

AUTO = "auto"
DEVICES = (AUTO, "cpu", "cuda", "mps")
