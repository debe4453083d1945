from odoo import models


class CrmGuardedFieldsMixin(models.AbstractModel):
    """Fields that change only through their model's actions: the one guard
    of these addons (crm_custom, crm_custom_service).

    A model lists in ``_guarded_fields`` the fields its actions own: the
    ownership of a customer (put, claim, assign), the status of a development
    opportunity, of a churn warning, the step of a service. Its ``create`` and
    ``write`` refuse them, with a message of their own, when
    ``_guarded_fields_in(vals)`` is not empty.

    Superuser mode (``env.su``) opens the guard, nothing else: an action
    checks who may act, then writes through ``_guarded_write`` (``sudo()``;
    ``env.uid`` stays the user's, so tracking and the chatter name them).
    Installation, demo data, migrations and crons run as superuser. RPC
    cannot reach ``sudo()`` and no context key opens the guard; server code
    of other modules that runs as superuser is trusted, as everywhere in
    Odoo.
    """

    _name = "crm.guarded.fields.mixin"
    _description = "Fields Changed Only by Actions"

    _guarded_fields = frozenset()

    def _guarded_fields_in(self, vals):
        """The guarded fields that ``vals`` would change outside an action."""
        if self.env.su:
            return frozenset()
        return self._guarded_fields.intersection(vals)

    def _guarded_write(self, vals):
        """Write guarded fields from an action, after the action's checks."""
        return self.sudo().write(vals)
