"""The typed bodies (`…Create`) and answers (`…Public`) of /api/v1, one module per area.

The OpenAPI document is built from these, so it describes every field a client sends or gets.
"""
