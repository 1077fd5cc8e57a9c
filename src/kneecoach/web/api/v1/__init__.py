"""Version 1 of the JSON API: one router per area, all under /api/v1."""
