"""Commands of the ``briefbot`` command line, one module per area."""
