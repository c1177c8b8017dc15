"""The History tab: every saved session, its detail, editing, charts and records."""
