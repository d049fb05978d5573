"""Storage and retrieval: the photo catalog, the vector store, scanning and indexing."""
