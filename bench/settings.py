"""Settings for benchmark servers: the project's settings plus a bare view to compare with."""

from project.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
