"""X5: each addon ships a catalogue template (.pot) that matches its code and
data, and a complete zh_CN catalogue: every string translated, nothing
obsolete, nothing fuzzy."""

from pathlib import Path

import polib

from odoo.tests import TransactionCase
from odoo.tools.translate import TranslationModuleReader

REPO = Path(__file__).resolve().parent.parent.parent
ADDONS = ("crm_custom", "crm_custom_service", "crm_custom_reports")


def _entries(catalogue):
    return {
        (entry.msgctxt, entry.msgid): entry
        for entry in catalogue
        if not entry.obsolete and entry.msgid
    }


class TestTranslations(TransactionCase):
    def _catalogue(self, addon, name):
        path = REPO / addon / "i18n" / name
        self.assertTrue(path.is_file(), f"{path} is missing")
        return polib.pofile(str(path))

    def test_x5_pot_matches_the_code(self):
        for addon in ADDONS:
            with self.subTest(addon=addon):
                reader = TranslationModuleReader(self.env.cr, modules=[addon])
                live = {source for _m, _t, _n, _r, source, _v, _c in reader if source}
                pot = {
                    msgid
                    for _ctx, msgid in _entries(self._catalogue(addon, f"{addon}.pot"))
                }
                self.assertFalse(
                    live - pot,
                    f"{addon}.pot is stale: strings missing from it",
                )
                self.assertFalse(
                    pot - live,
                    f"{addon}.pot is stale: strings no longer in the addon",
                )

    def test_x5_zh_cn_complete_and_current(self):
        for addon in ADDONS:
            with self.subTest(addon=addon):
                pot = _entries(self._catalogue(addon, f"{addon}.pot"))
                po = self._catalogue(addon, "zh_CN.po")
                entries = _entries(po)
                untranslated = [
                    key[1]
                    for key in pot
                    if not (key in entries and entries[key].msgstr.strip())
                ]
                self.assertFalse(
                    untranslated, f"{addon}: untranslated {untranslated[:20]}"
                )
                obsolete = [key[1] for key in entries if key not in pot]
                self.assertFalse(obsolete, f"{addon}: obsolete {obsolete[:20]}")
                fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
                self.assertFalse(fuzzy, f"{addon}: fuzzy {fuzzy[:20]}")
                self.assertEqual(po.metadata.get("Language"), "zh_CN")

    def test_x5_seed_terms_used(self):
        """The terms of the specification reach the users in Chinese."""
        translations = {}
        for addon in ADDONS:
            for entry in self._catalogue(addon, "zh_CN.po"):
                translations[entry.msgid] = entry.msgstr
        for english, chinese in {
            "Customer Manager": "客户经理",
            "Sales Manager": "销售主管",
            "Executive": "高管",
            # Service states (S1-S4) and the steps that lead to them: one
            # msgid per meaning, a state never shares its word with a verb.
            "Created": "新创建",
            "Assigned": "已分配",
            "Handled": "已处理",
            "Archived": "已归档",
            "Assign": "分配",
            "Handle": "处理",
            "Feedback": "反馈",
            # How a customer changed owner (P7): the act, not a state.
            "Assignment": "分配",
            "Claim": "领取",
            "Postpone": "暂缓流失",
            "Postponed": "已暂缓",
        }.items():
            self.assertEqual(translations.get(english), chinese, english)
        # Every catalogue says a shared English word the same way.
        for addon in ADDONS:
            for entry in self._catalogue(addon, "zh_CN.po"):
                if entry.msgid in ("Created", "Assigned", "Handled", "Archived"):
                    self.assertEqual(
                        entry.msgstr, translations[entry.msgid], (addon, entry.msgid)
                    )
