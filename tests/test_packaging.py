"""Each addon builds as an OCA-style wheel (whool backend) whose metadata
names its addon dependencies, so that installing crm_custom_service with pip
pulls OCA helpdesk_mgmt 18.0 from PyPI."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "addon, expected_requirements",
    [
        (
            "crm_custom",
            {"odoo==18.0.*", "odoo-addon-partner_contact_birthdate==18.0.*"},
        ),
        (
            "crm_custom_service",
            {
                "odoo==18.0.*",
                "odoo-addon-crm_custom==18.0.*",
                "odoo-addon-document_page==18.0.*",
                "odoo-addon-helpdesk_mgmt==18.0.*",
            },
        ),
        (
            "crm_custom_reports",
            {
                "odoo==18.0.*",
                "odoo-addon-crm_custom==18.0.*",
                "odoo-addon-crm_custom_service==18.0.*",
            },
        ),
    ],
)
def test_x1_addon_builds_as_wheel(addon, expected_requirements, tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--disable-pip-version-check",
            "--wheel-dir",
            str(tmp_path),
            str(REPO / addon),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = tmp_path.glob(f"odoo_addon_{addon}-18.0.*.whl")
    with zipfile.ZipFile(wheel) as archive:
        metadata = next(
            archive.read(name).decode()
            for name in archive.namelist()
            if name.endswith(".dist-info/METADATA")
        )
        assert f"odoo/addons/{addon}/__manifest__.py" in archive.namelist()
    requirements = {
        line.split(":", 1)[1].strip()
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist:")
    }
    assert requirements == expected_requirements
