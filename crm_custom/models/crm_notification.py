"""The client action that shows a notification (the web client's
``display_notification``), then runs ``next_action`` if any."""

CLOSE_DIALOG = {"type": "ir.actions.act_window_close"}
SOFT_RELOAD = {"type": "ir.actions.client", "tag": "soft_reload"}


def notification_action(
    message, next_action=None, title=None, notification_type="success", sticky=False
):
    params = {"type": notification_type, "message": message}
    if title:
        params["title"] = title
    if sticky:
        params["sticky"] = True
    if next_action:
        params["next"] = next_action
    return {
        "type": "ir.actions.client",
        "tag": "display_notification",
        "params": params,
    }


def close_dialog(infos=None):
    """Close the wizard's dialog, telling the view that opened it ``infos``."""
    return dict(CLOSE_DIALOG, infos=infos) if infos else dict(CLOSE_DIALOG)
