"""The rulebook: rules/ loaded in layers, checked against the catalogue and vocabulary, compiled."""
