from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EasyReadConfig(AppConfig):
    name = "easyread"
    verbose_name = _("Leichte Sprache")
