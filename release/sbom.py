"""One image's CycloneDX SBOM: the jar's, as cyclonedx-maven-plugin wrote it, with the base image's Debian
packages (dpkg-query's lines: package, version, architecture, tab-separated) and any further package URLs (the
agent the scorer image carries beside its jar) added as components.

    python3 release/sbom.py JAR_SBOM DEBIAN_PACKAGES DEBIAN_SUITE [PURL ...] > image.cdx.json
"""

import json
import sys
from urllib.parse import quote


def debian_component(line: str, suite: str) -> dict:
    name, version, arch = line.split("\t")
    purl = f"pkg:deb/debian/{name}@{quote(version, safe='')}?arch={arch}&distro=debian-{suite}"
    return {"type": "library", "bom-ref": purl, "name": name, "version": version, "purl": purl}


def maven_component(purl: str) -> dict:
    coordinates, _, _ = purl.removeprefix("pkg:maven/").partition("?")
    group_and_name, _, version = coordinates.partition("@")
    group, _, name = group_and_name.partition("/")
    return {"type": "library", "bom-ref": purl, "group": group, "name": name, "version": version, "purl": purl}


def main(jar_sbom: str, debian: str, suite: str, *purls: str) -> None:
    with open(jar_sbom) as f:
        bom = json.load(f)
    with open(debian) as f:
        packages = [line.rstrip("\n") for line in f if line.strip()]
    known = {c.get("purl") for c in bom.get("components", [])}
    added = [maven_component(p) for p in purls if p not in known]
    added += [debian_component(line, suite) for line in packages]
    bom.setdefault("components", []).extend(added)
    image = bom["metadata"]["component"]["bom-ref"]
    dependencies = bom.setdefault("dependencies", [])
    entry = next((d for d in dependencies if d.get("ref") == image), None)
    if entry is None:
        entry = {"ref": image, "dependsOn": []}
        dependencies.append(entry)
    entry.setdefault("dependsOn", []).extend(c["bom-ref"] for c in added)
    json.dump(bom, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
