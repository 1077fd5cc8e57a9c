"""The pure domain core: typed data in, typed data out. No I/O, no imports of storage or interfaces."""
