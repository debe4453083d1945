"""Docker cannot run on the machines that test this project, so these tests
check that docker-compose.yml and odoo.conf agree with each other and with
the repository: what `docker compose up -d` would start can find the addons,
helpdesk_mgmt and the database."""

import configparser
import posixpath
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
ADDONS = ("crm_custom", "crm_custom_service", "crm_custom_reports")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def odoo_conf():
    parser = configparser.ConfigParser()
    parser.read(REPO / "odoo.conf")
    return parser["options"]


def _mounts(service):
    """{container path: source} of a service's volumes."""
    mounts = {}
    for volume in service.get("volumes", []):
        source, target = volume.split(":")[:2]
        mounts[target] = source
    return mounts


def test_x1_services_and_images(compose):
    services = compose["services"]
    assert services["odoo"]["image"] == "odoo:18.0"
    assert services["db"]["image"] == "postgres:16"
    assert "8069:8069" in services["odoo"]["ports"]
    assert services["odoo"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert (
        services["odoo"]["depends_on"]["oca-addons"]["condition"]
        == "service_completed_successfully"
    )


def test_x1_odoo_conf_is_the_mounted_configuration(compose):
    mounts = _mounts(compose["services"]["odoo"])
    assert mounts["/etc/odoo/odoo.conf"] == "./odoo.conf"


def test_x1_addons_path_holds_the_three_addons_and_helpdesk(compose, odoo_conf):
    services = compose["services"]
    mounts = _mounts(services["odoo"])
    addons_path = [p.strip() for p in odoo_conf["addons_path"].split(",")]
    found = {}
    for container_path, source in mounts.items():
        parent = posixpath.dirname(container_path)
        if parent in addons_path and source.startswith("./"):
            name = posixpath.basename(container_path)
            assert (REPO / source[2:] / "__manifest__.py").is_file(), source
            found[name] = container_path
    assert set(ADDONS) <= set(found), f"addons reachable: {sorted(found)}"

    # helpdesk_mgmt: unpacked by the oca-addons service into a named volume
    # that the odoo service mounts on an addons_path entry.
    oca_volume = next(
        source
        for target, source in mounts.items()
        if target in addons_path and not source.startswith("./")
    )
    assert oca_volume in compose["volumes"]
    oca_mounts = _mounts(services["oca-addons"])
    target = next(t for t, s in oca_mounts.items() if s == oca_volume)
    assert target in addons_path
    command = " ".join(services["oca-addons"]["command"])
    assert f"{target}/" in command
    # Every OCA addon of requirements-addons.txt is fetched and copied.
    requirements = [
        line.strip()
        for line in (REPO / "requirements-addons.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert requirements
    for requirement in requirements:
        assert f"'{requirement}'" in command, requirement
        addon = requirement.split(">=")[0].removeprefix("odoo-addon-")
        assert f"/tmp/unpacked/odoo/addons/{addon}" in command, addon
        assert f"{target}/{addon}/__manifest__.py" in command, addon


def test_x1_database_settings_match(compose, odoo_conf):
    db = compose["services"]["db"]
    assert odoo_conf["db_host"] == "db"
    assert odoo_conf["db_port"] == "5432"
    assert odoo_conf["db_user"] == db["environment"]["POSTGRES_USER"]
    assert odoo_conf["db_password"] == db["environment"]["POSTGRES_PASSWORD"]
    command = compose["services"]["odoo"]["command"]
    assert command[command.index("-d") + 1] == odoo_conf["db_name"]
    assert set(command[command.index("-i") + 1].split(",")) == set(ADDONS)
    assert _mounts(compose["services"]["odoo"])["/var/lib/odoo"] == "odoo-data"
    assert odoo_conf["data_dir"] == "/var/lib/odoo"
