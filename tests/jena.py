"""Apache Jena from Debian's ``libapache-jena-java``, run as a real Java process.

Debian repackages Jena's shaded Xerces under the package ``xerces`` but leaves its message
bundles under ``org/apache/jena/ext/xerces``, so Jena fails at start-up with "internal error".
:func:`classpath` copies those bundles to where the classes look for them, in a folder of
the caller's choosing, and puts that folder first on the class path.

Debian ships the Jakarta JSON API but no implementation of it, so Jena's JSON-LD 1.1 reader
(Titanium) cannot start there; JSON-LD is read with Jena's JSON-LD 1.0 reader
(``--syntax=JSON-LD-10``), which our exports satisfy (they use no 1.1 feature).
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

JARS = Path("/usr/share/java")
JENA = ("arq", "base", "cmds", "core", "dboe-base", "dboe-index", "dboe-storage",
        "dboe-trans-data", "dboe-transaction", "iri", "rdfconnection", "shacl", "shex", "tdb",
        "tdb2")
DEPENDENCIES = ("commons-cli", "commons-codec", "commons-compress", "commons-csv", "commons-io",
                "commons-lang3", "dexx.collection", "gson", "guava", "httpclient", "httpcore",
                "httpclient-cache", "jackson-core", "jackson-databind", "jackson-annotations",
                "jsonld-java",
                "protobuf", "slf4j-api", "slf4j-nop", "thrift", "titanium-json-ld")
_BUNDLES = "org/apache/jena/ext/xerces/"


def available() -> bool:
    """Whether Java and Jena's jars are installed."""
    return shutil.which("java") is not None and (JARS / "jena-core.jar").is_file()


def classpath(folder: Path) -> str:
    """Jena's class path, with its Xerces message bundles unpacked into ``folder``."""
    with zipfile.ZipFile(JARS / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith(_BUNDLES) and name.endswith(".properties"):
                target = folder / "xerces" / name[len(_BUNDLES):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    jars = [JARS / f"jena-{name}.jar" for name in JENA]
    jars += [JARS / f"{name}.jar" for name in DEPENDENCIES]
    return ":".join([str(folder), *map(str, jars)])


def run(folder: Path, main_class: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run one of Jena's command classes (e.g. ``riotcmd.riot``) and capture its output."""
    return subprocess.run(["java", "-cp", classpath(folder), main_class, *args],
                          capture_output=True, text=True, timeout=300, check=False)
