from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DistrictsConfig(AppConfig):
    name = "districts"
    verbose_name = _("Kreisverbände")
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class undConfig(AppConfig):
    name = "Gemeinden"
    verbose_name = _("")
