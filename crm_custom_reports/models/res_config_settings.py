from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # R7: period of the customer management report mailed to the executives.
    crm_management_report_period = fields.Selection(
        [
            ("month", "Monthly"),
            ("quarter", "Quarterly"),
            ("year", "Yearly"),
        ],
        string="Customer Management Report",
        default="month",
        config_parameter="crm_custom_reports.management_report_period",
        help="The executives receive the customer management report of each "
        "completed month, quarter or year.",
    )
