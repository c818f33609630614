"""`python -m dataforge`."""

from dataforge.cli import main

main()
