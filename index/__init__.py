"""Search index: embeddings, vectors, lexical matching and the default model build."""
