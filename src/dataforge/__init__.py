"""dataforge: one sentence of data-engineering intent in, a working and tested repository out."""

__version__ = "0.1.0"
