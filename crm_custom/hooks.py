def post_init_hook(env):
    """P1: the customer companies of a database that has some already and
    that nobody owns go to the default pool (the public pool 公海)."""
    env["res.partner"]._pool_adopt_all_orphans()
