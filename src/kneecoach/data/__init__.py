"""The knowledge: versioned YAML files and the loaders that validate them into core objects."""
