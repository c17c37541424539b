from pathlib import Path

from django.apps import AppConfig
from django.conf import settings


class ServerConfig(AppConfig):
    name = "ntm.server"
    verbose_name = "Server"

    def ready(self) -> None:
        # The data folder (the SQLite file lives there unless DATABASE_URL says otherwise) and the static
        # folder WhiteNoise serves from: made when Django starts, not when the settings are imported.
        for folder in (settings.DATA_DIR, settings.STATIC_ROOT):
            Path(folder).mkdir(parents=True, exist_ok=True)
