from lxml import etree

from odoo.tools import file_open

# Standard records that crm_custom rewrites at install and that their module
# loads with noupdate: (xml id, data file of its module, field).
RESTORED_ON_UNINSTALL = [
    ("crm.crm_rule_personal_lead", "crm/security/crm_security.xml", "domain_force"),
]
OWN_DATA_FILE = "crm_custom/security/crm_custom_security.xml"


def xml_field_value(path, record_id, fname):
    """The value a data file gives the field of a record."""
    with file_open(path, "rb") as data:
        tree = etree.parse(data)
    field = tree.find(f".//record[@id='{record_id}']/field[@name='{fname}']")
    return field.text.strip() if field is not None and field.text else False


def apply_standard_overrides(env):
    """Write crm_custom's version of the standard records it rewrites (on
    upgrade: they are noupdate in their own module)."""
    for xmlid, _path, fname in RESTORED_ON_UNINSTALL:
        record = env.ref(xmlid, raise_if_not_found=False)
        value = xml_field_value(OWN_DATA_FILE, xmlid, fname)
        if record and value:
            record.sudo().write({fname: value})


def uninstall_hook(env):
    """X6: leave the standard records as their modules define them."""
    for xmlid, path, fname in RESTORED_ON_UNINSTALL:
        record = env.ref(xmlid, raise_if_not_found=False)
        if record:
            name = xmlid.split(".", 1)[1]
            record.sudo().write({fname: xml_field_value(path, name, fname)})
    # The index on a standard column (the others go with our columns).
    env.cr.execute("DROP INDEX IF EXISTS res_partner_crm_pool_owner_index")


def post_init_hook(env):
    """Bring the customers of a database that has some already under the
    product's rules: those nobody owns go to the default pool (the public
    pool 公海, P1), and every customer gets its customer code (C10), oldest
    first, in one update."""
    env["res.partner"]._pool_adopt_all_orphans()
    env["res.partner"]._crm_number_existing_customers()
