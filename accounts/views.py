"""Account pages of the portal's own (allauth provides the rest)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from accounts.mfa import has_totp


class MFASetupGuideView(LoginRequiredMixin, TemplateView):
    """Where StaffMFAMiddleware sends staff who have no authenticator app yet: why a
    second factor is needed and how to set it up with allauth's own pages."""

    template_name = "mfa/setup_guide.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["has_totp"] = has_totp(self.request.user)
        return context
