"""Front ends (CLI, Qt GUI) and the composition root that wires engine and index."""
