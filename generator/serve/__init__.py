"""``digest serve``: build, serve ``site/``, watch the sources, rebuild on change, reload open pages.

Modelled on MkDocs' livereload. ``server`` runs the session (first build, debounced rebuilds through
Build, stop); ``httpd`` answers requests, ``static`` turns URLs into files of ``site/``, ``gate`` keeps
requests and rebuilds apart, and ``livereload`` tells open pages to reload or to show the problems of a
failed rebuild. The standard library plus watchdog (``generator.watch``).
"""

from generator.serve.livereload import EVENTS_PATH, LiveSnapshot, LiveState, inject, live_snippet
from generator.serve.server import DevServer, serve
from generator.serve.static import content_type, resolve_url_path

__all__ = [
    "EVENTS_PATH",
    "DevServer",
    "LiveSnapshot",
    "LiveState",
    "content_type",
    "inject",
    "live_snippet",
    "resolve_url_path",
    "serve",
]
