from notifications.services import delete_mail_for_application


def delete_mail_of_deleted_application(sender, instance, **kwargs):
    """An erased application takes its mails along (they hold its name and address)."""
    delete_mail_for_application(instance.pk)
