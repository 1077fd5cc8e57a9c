"""One router per page group; each module names its place in the navigation (`NAV`)."""
