"""The validation choices the command line offers, light to import (no RDF library)."""

from __future__ import annotations

from typing import Literal as Choice

__all__ = ["DEFAULT_SHACL_ENGINE", "REPORT_FORMATS", "SHACL_ENGINES", "ShaclEngine"]

REPORT_FORMATS: tuple[str, ...] = ("text", "json", "junit")
"""The renderings of a validation report."""

ShaclEngine = Choice["pyshacl", "rudof"]
SHACL_ENGINES: tuple[str, ...] = ("pyshacl", "rudof")
DEFAULT_SHACL_ENGINE: ShaclEngine = "rudof"
