"""Presentation: pure SVG renderers (exercise illustrations, line charts, the body diagram).

They read typed data from `core` and return markup; no I/O, no storage, services or interfaces.
"""
