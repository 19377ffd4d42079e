from allauth.account.adapter import DefaultAccountAdapter


class StaffOnlyAccountAdapter(DefaultAccountAdapter):
    """Staff accounts are created by the state office; nobody signs up publicly."""

    def is_open_for_signup(self, request):
        return False
