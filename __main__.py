"""``python -m teachback`` runs the command-line interface."""

from teachback.cli import main

if __name__ == "__main__":
    main()
