"""The domain model: the case an LRO describes, the vocabulary, powers and rules as validated data."""
