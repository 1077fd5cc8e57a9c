"""The pose-model adapter (the optional `video` extra): video files in, `core.movement` tracks
out, and the annotated pictures of the result.

An edge like `storage/`: it imports `core` only, and services import it lazily. MediaPipe and
OpenCV are imported inside functions, never when this package loads, so the CLI's start-up
and the web server's memory stay as they were when no video is analysed.
"""
