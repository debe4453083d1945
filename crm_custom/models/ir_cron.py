from odoo import models


class IrCron(models.Model):
    _inherit = "ir.cron"

    def _crm_commit_progress(self, done, remaining, commit=False):
        """A scheduled action of these addons finished a batch: report its
        progress to ir.cron (``done`` and ``remaining`` items; nothing when
        it is not run by ir.cron) and, with ``commit`` (the scheduled
        action's code passes ``autocommit=True``: only ir.cron runs it),
        commit the batch, so that a run that times out or fails keeps the
        work done and the next run carries on from there. Called from other
        code (tests, shell), nothing is committed: the caller owns the
        transaction. The one ``commit`` of the crons of crm_custom."""
        self._notify_progress(done=done, remaining=remaining)
        if commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
