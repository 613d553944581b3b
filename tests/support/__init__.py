"""What the tests share: servers (the fixture-site, hostile and DNS servers), site
and archive builders, the CLI runner, and the databases the suite uses. Test modules
import from here, never from each other; ``bench/`` may import from here too."""
