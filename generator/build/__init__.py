"""Build: the one owner of the pipeline (ingest → read → index → plan → render → write).

The CLI and the dev server call this and nothing below it.
"""

from __future__ import annotations

from generator.build.builder import Builder, build_site
from generator.build.ping import PingReport, ping_hub
from generator.build.report import BuildOptions, BuildReport, IngestRequest
from generator.write import TMP_PREFIX

__all__ = ["TMP_PREFIX", "BuildOptions", "BuildReport", "Builder", "IngestRequest", "PingReport", "build_site",
           "ping_hub"]
