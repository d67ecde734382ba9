#!/usr/bin/env python3
"""The scorer's JVM options as in its pod, for the benchmarks that run the scorer outside one: the
options of the image's ENTRYPOINT (scorer-image/Dockerfile), the memory a pod's JVM sees, and the heap
ceiling the operator sets for it. Without the pod's memory, a JVM on a machine with more RAM starts
with a larger heap (a 64th of the RAM, up to the ceiling) that it never gives back: on a 23 GiB machine
the whole 384 MiB, about 60 MiB more RSS than in the pod.

    python3 bench/scorer_jvm.py        # one option a line (bench/harness.sh reads them so)
"""
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The default pod: spec.resources' memory limit (SpecDefaults.MEMORY_LIMIT, 1Gi) and the -Xmx the
# operator gives it (ScorerHeap: half of what a 256 MiB native reserve leaves).
POD_MEMORY_LIMIT_MIB = 1024
POD_HEAP_MIB = (POD_MEMORY_LIMIT_MIB - 256) // 2


def image_options():
    dockerfile = (ROOT / "scorer-image/Dockerfile").read_text()
    entrypoint = json.loads(re.search(r"^ENTRYPOINT (\[.*\])$", dockerfile, re.M).group(1))
    return entrypoint[1:entrypoint.index("-jar")]


def pod_options():
    return [*image_options(), f"-XX:MaxRAM={POD_MEMORY_LIMIT_MIB}m", f"-Xmx{POD_HEAP_MIB}m"]


if __name__ == "__main__":
    print("\n".join(pod_options()))
