import sys

try:
    from crawler.cli import main
except KeyboardInterrupt:  # Ctrl-C while Python was still importing the command line
    print("newsarchive: interrupted", file=sys.stderr)
    sys.exit(130)  # crawler.cli.EXIT_INTERRUPTED, not importable here

sys.exit(main())
