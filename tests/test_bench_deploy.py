"""bench.nginx_pair's nginx config (from deploy/nginx-eutf.conf) and the benches' "not measured" rows."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from bench import browser, nginx_pair


def test_the_generated_config_keeps_the_documented_site_and_lists_the_instances(tmp_path):
    site = nginx_pair.SITE.read_text()
    config = nginx_pair.nginx_config(site, 9000, [9101, 9102], tmp_path)
    assert "daemon off;" in config
    assert "listen 127.0.0.1:9000;" in config
    assert re.findall(r"server 127\.0\.0\.1:(\d+) max_fails=3 fail_timeout=10s;", config) == ["9101", "9102"]
    assert f"access_log {tmp_path}/access.log eutf;" in config
    assert "/var/log" not in config
    # every other directive of the site is kept as written
    kept = [
        line.strip()
        for line in site.splitlines()
        if line.strip() and not re.match(r"\s*(server 127|listen|access_log)", line)
    ]
    assert all(line in config for line in kept)


@pytest.mark.skipif(not shutil.which(nginx_pair.NGINX), reason="nginx is not installed")
def test_nginx_accepts_the_generated_config(tmp_path):
    config = tmp_path / "nginx.conf"
    config.write_text(nginx_pair.nginx_config(nginx_pair.SITE.read_text(), 9000, [9101, 9102], tmp_path))
    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / kind).mkdir()
    test = subprocess.run(
        [nginx_pair.NGINX, "-t", "-p", str(tmp_path), "-c", str(config)], capture_output=True, text=True
    )
    assert test.returncode == 0, test.stderr


def test_a_missing_nginx_or_chromium_gives_not_measured_rows(monkeypatch):
    monkeypatch.setattr(nginx_pair, "NGINX", "/nonexistent/nginx")
    rows = nginx_pair.measure_all()
    assert len(rows) == 2
    assert all("not measured: nginx is not installed" in row for row in rows)
    monkeypatch.setattr(browser, "CHROMIUM", "/nonexistent/chromium")
    rows = browser.measure_all()
    assert len(rows) == len(browser.PAGES)
    assert all("not measured: chromium is not installed" in row for row in rows)
