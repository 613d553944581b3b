import sys

from crawler.exits import EXIT_INTERRUPTED

try:
    from crawler.cli import main
except KeyboardInterrupt:  # Ctrl-C while Python was still importing the command line
    print("newsarchive: interrupted", file=sys.stderr)
    sys.exit(EXIT_INTERRUPTED)

sys.exit(main())
