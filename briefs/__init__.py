"""briefbot's engine: transcripts in, briefs, quotes and digests out.

Never imports ``bot`` or ``telegram``: front ends depend on the engine, not the
other way round (``tests/test_layers.py`` checks it).
"""

__version__ = "0.1.0"
