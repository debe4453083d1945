def post_init_hook(env):
    """Bring the customers of a database that has some already under the
    product's rules: those nobody owns go to the default pool (the public
    pool 公海, P1), and every customer gets its customer code (C10), oldest
    first, in one update."""
    env["res.partner"]._pool_adopt_all_orphans()
    env["res.partner"]._crm_number_existing_customers()
