def post_init_hook(env):
    """Customers created before the installation get their customer codes
    (C10), oldest first, in one update."""
    env["res.partner"]._crm_number_existing_customers()
