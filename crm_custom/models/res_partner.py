from odoo import models


class ResPartner(models.Model):
    """Customers 客户 are company partners. Each feature (customer data, pool,
    churn) keeps its partner fields in its own section below."""

    _inherit = "res.partner"

    # --- Customer data 客户信息 (C1-C2) ---------------------------------

    # --- Customer pool 客户池 (P1-P9) -------------------------------------

    # --- Churn 客户流失 (W1-W4) --------------------------------------------
