"""The screenshots of the README (tests/screenshots/run) stay in step with the
command and the product: one PNG per screen of the command, at its size,
shown in the README, and every screen it opens exists."""

import re
import struct
import sys
from pathlib import Path

import odoo
from odoo.tools import config

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "screenshots"))

import shoot  # noqa: E402


def _png_size(path):
    # Width and height are the first fields of the IHDR chunk.
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_x2_screenshots_shown_in_readme_at_their_size():
    folder = REPO / "docs" / "screenshots"
    readme = (REPO / "README.md").read_text()
    shown = set(re.findall(r"docs/screenshots/([\w-]+)\.png", readme))
    names = {shot.name for shot in shoot.SHOTS}
    assert names == {path.stem for path in folder.glob("*.png")}
    assert names == shown
    for shot in shoot.SHOTS:
        size = shoot.PHONE if shot.phone else shoot.DESKTOP
        assert _png_size(folder / f"{shot.name}.png") == size, shot.name


def test_x2_screenshot_screens_exist():
    registry = odoo.modules.registry.Registry(config["db_name"])
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        for shot in shoot.SHOTS:
            action = env.ref(shot.action)
            assert action._name == "ir.actions.act_window", shot.name
            if shot.record:
                assert env.ref(shot.record)._name == action.res_model, shot.name
            if shot.phone:
                assert "kanban" in action.view_mode, shot.name
            assert env["res.users"].search_count([("login", "=", shot.login)])
