# The image of `docker compose run --rm tests`: the official Odoo 18.0 image
# plus what tests/run needs on top of it, so that a user runs the very suite
# CI runs (Python tests, the browser tours in headless Chromium, the
# linters). The repository is mounted at run time, not copied: only the
# requirement files are part of the image.
# tests/test_compose.py checks this file against tests/run and the
# requirement files.
FROM odoo:18.0

USER root

# Chromium for the tours. The image is Ubuntu noble, whose "chromium"
# package is only a snap wrapper that cannot run in a container, so the
# Chromium build of Google (google-chrome, which Odoo's test browser looks for
# first) comes from its .deb; git for the wheel builds of tests/test_packaging.py.
RUN set -eux; \
    apt-get update; \
    curl -fsSL -o /tmp/chrome.deb \
        https://dl.google.com/linux/direct/google-chrome-stable_current_amd64.deb; \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        /tmp/chrome.deb fonts-noto-cjk git; \
    rm -rf /var/lib/apt/lists/* /tmp/chrome.deb; \
    git config --system --add safe.directory '*'

# pytest-odoo, websocket-client and the rest of the suite's requirements, the
# linters, and the OCA addons (without dependencies: Odoo is the image's).
COPY requirements.txt requirements-lint.txt requirements-addons.txt /tmp/crm/
RUN pip3 install --no-cache-dir --break-system-packages \
        -r /tmp/crm/requirements.txt -r /tmp/crm/requirements-lint.txt \
    && pip3 install --no-cache-dir --break-system-packages --no-deps \
        -r /tmp/crm/requirements-addons.txt

USER odoo
ENV PYTHONDONTWRITEBYTECODE=1
WORKDIR /mnt/crm
ENTRYPOINT []
CMD ["tests/run"]
