from django.apps import AppConfig


class ServerConfig(AppConfig):
    name = "ntm.server"
    verbose_name = "Server"
