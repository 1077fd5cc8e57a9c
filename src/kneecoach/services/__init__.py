"""Use cases: one function per thing a person does, each done in a session the interface opens (one unit of work per user action)."""
