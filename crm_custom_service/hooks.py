# helpdesk_mgmt's "Personal Tickets" rule as helpdesk_mgmt defines it; this
# addon narrows it to ordinary tickets (security/crm_custom_service_security.xml).
HELPDESK_PERSONAL_RULE_DOMAIN = (
    "[\"|\", ('user_id', '=', user.id), '&', ('user_id','=',False), "
    "('team_id', 'in', user.helpdesk_team_ids.ids)]"
)


def uninstall_hook(env):
    """Give helpdesk_mgmt its own rule back: once the addon is gone, the
    narrowed domain would name a field that no longer exists."""
    rule = env.ref(
        "helpdesk_mgmt.helpdesk_ticket_personal_rule", raise_if_not_found=False
    )
    if rule:
        rule.domain_force = HELPDESK_PERSONAL_RULE_DOMAIN
