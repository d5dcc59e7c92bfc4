"""Memory of the running benchmark process."""

from pathlib import Path


def rss_mb() -> float:
    """Resident memory now, from /proc (ru_maxrss only ever grows)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0
