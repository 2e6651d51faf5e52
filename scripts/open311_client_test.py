"""The PyPI `georeport` client (0.3.1) against a live `fengqiao demo`, in JSON and in XML.

Run by scripts/open311-client-test.sh, which starts the server and passes its base URL:

    python scripts/open311_client_test.py http://127.0.0.1:PORT

Logs in as the demo city administrator, issues an Open311 API key through the admin API, files
requests over HTTP (the client does not create requests), then reads everything back through
the client in both formats: services, a service definition, requests with filters, a request by
id, and 404s. Prints `open311 client: N passed, M failed` and exits non-zero on any failure.
"""

import sys
import traceback
from datetime import datetime, timedelta, timezone

import requests
import georeport
from georeport import GeoReport

BASE = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8080"
ROOT = f"{BASE}/open311/v2"
CITY = "339900"
STREET = "339902001"  # 鼓楼街道 of the demo city
PASSWORD = "Fengqiao#2026"

passed = 0
failed = 0


def check(name, fn):
    """Runs one named check; an exception or a false assertion is a failure."""
    global passed, failed
    try:
        fn()
    except Exception:  # noqa: BLE001 - every failure is reported, not raised
        failed += 1
        print(f"FAIL {name}")
        traceback.print_exc(limit=3)
    else:
        passed += 1
        print(f"ok   {name}")


def as_list(value):
    """xmltodict gives a dict for one element and a list for several."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def login(username):
    r = requests.post(f"{BASE}/api/v1/auth/login", json={"username": username, "password": PASSWORD}, timeout=30)
    r.raise_for_status()
    return r.json()["token"]


def new_key(token):
    r = requests.post(
        f"{BASE}/api/v1/open311/keys",
        json={"name": "georeport client test", "owner": "CI"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert r.status_code == 201, r.text
    return r.json()["api_key"]


def post_request(fields, fmt="json"):
    r = requests.post(f"{ROOT}/requests.{fmt}", data=fields, timeout=30)
    assert r.status_code == 200, f"{r.status_code} {r.text}"
    return r


def point_in_a_grid(token):
    """A point inside one of the street's grids, confirmed by the grid index; None if the grid
    API cannot say."""
    headers = {"Authorization": f"Bearer {token}"}
    r = requests.get(f"{BASE}/api/v1/grids/export", params={"under": STREET}, headers=headers, timeout=60)
    if r.status_code != 200:
        return None
    for feature in r.json().get("features", []):
        geometry = feature.get("geometry") or {}
        if geometry.get("type") != "Polygon":
            continue
        ring = geometry["coordinates"][0][:-1]
        lng = sum(p[0] for p in ring) / len(ring)
        lat = sum(p[1] for p in ring) / len(ring)
        code = (feature.get("properties") or {}).get("code")
        found = requests.get(f"{BASE}/api/v1/grids/locate", params={"lng": lng, "lat": lat}, headers=headers, timeout=30)
        if found.status_code == 200:
            codes = [g.get("code") for g in found.json().get("grids", [])]
            if code in codes:
                return round(lat, 6), round(lng, 6), code
    return None


def main():
    print(f"georeport {georeport.__version__} against {ROOT}")
    admin = login("admin")
    key = new_key(admin)

    # Requests filed over HTTP: a multi-value attribute at a point in a real grid (falling back to
    # the street when the grid API cannot give a point), and a single-value one by address.
    point = point_in_a_grid(admin)
    fire = {
        "api_key": key,
        "service_code": "fire_hazard",
        "attribute[hazard][]": ["blocked_exit", "indoor_charging"],
        "description": "楼道堆满电动车，消防通道堵塞",
        "first_name": "美华",
        "last_name": "刘",
        "address_string": "鼓楼街道某小区3幢",
    }
    if point:
        fire.update({"lat": point[0], "long": point[1]})
    else:
        fire.update({"jurisdiction_id": STREET})
    fire_id = post_request(fire).json()[0]["service_request_id"]
    clutter = {
        "api_key": key,
        "service_code": "clutter",
        "jurisdiction_id": STREET,
        "address_string": "鼓楼街道某小区楼道",
        "attribute[location_kind]": "corridor",
        "description": "楼道堆放纸箱",
    }
    clutter_xml = post_request(clutter, "xml").text
    clutter_id = clutter_xml.split("<service_request_id>")[1].split("<")[0]
    ours = {fire_id, clutter_id}

    def placed_in_the_grid():
        if not point:
            print("     (grid API unavailable: point placement not checked)")
            return
        r = requests.get(f"{BASE}/api/v1/grid-events/{fire_id}", headers={"Authorization": f"Bearer {admin}"}, timeout=30)
        assert r.status_code == 200, r.text
        assert r.json()["event"]["grid_code"] == point[2], r.json()["event"]

    check("a point in a grid is placed through the grid index", placed_in_the_grid)

    def xml_post_answer():
        assert clutter_xml.startswith('<?xml version="1.0" encoding="utf-8"?>'), clutter_xml
        assert "<service_requests><request>" in clutter_xml and "<token>" in clutter_xml, clutter_xml

    check("POST requests.xml answers service_requests/request with a token", xml_post_answer)

    for fmt in ("json", "xml"):
        client = GeoReport(ROOT, jurisdiction=CITY, output_format=fmt)
        truthy = True if fmt == "json" else "true"

        def services():
            items = client.get_service_list()
            codes = {s["service_code"]: s for s in items}
            assert "fire_hazard" in codes and "clutter" in codes, list(codes)
            assert codes["fire_hazard"]["service_name"] == "消防安全隐患"
            assert codes["fire_hazard"]["metadata"] == truthy
            assert codes["fire_hazard"]["type"] == "realtime"
            assert codes["fire_hazard"]["group"] == "安全隐患"

        def definition():
            d = client.get_service_definition("fire_hazard")
            assert d["service_code"] == "fire_hazard", d
            attrs = d["attributes"] if fmt == "json" else as_list(d["attributes"]["attribute"])
            hazard = attrs[0]
            assert hazard["code"] == "hazard" and hazard["datatype"] == "multivaluelist", hazard
            assert hazard["required"] == truthy
            values = hazard["values"] if fmt == "json" else as_list(hazard["values"]["value"])
            assert {"key": "blocked_exit", "name": "消防通道堵塞"} in [dict(v) for v in values], values

        def all_requests():
            items = as_list(client.get_service_requests())
            ids = {r["service_request_id"] for r in items}
            assert ours <= ids, (ours, ids)

        def by_service_code():
            items = as_list(client.get_service_requests(service_code="fire_hazard"))
            assert items and all(r["service_code"] == "fire_hazard" for r in items), items
            assert fire_id in {r["service_request_id"] for r in items}

        def by_status():
            open_items = as_list(client.get_service_requests(status="open"))
            assert all(r["status"] == "open" for r in open_items)
            assert ours <= {r["service_request_id"] for r in open_items}

        def by_ids():
            items = as_list(client.get_service_requests(service_request_id=f"{fire_id},{clutter_id}"))
            assert {r["service_request_id"] for r in items} == ours, items

        def by_dates():
            since = (datetime.now(timezone.utc) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
            recent = as_list(client.get_service_requests(service_code="clutter", start_date=since))
            assert clutter_id in {r["service_request_id"] for r in recent}, recent
            if fmt == "json":
                # An empty XML list is <service_requests/>, which this client cannot index.
                old = client.get_service_requests(start_date="2020-01-01T00:00:00Z", end_date="2020-03-01T00:00:00Z")
                assert old == [], old

        def by_id():
            r = client.get_service_request(fire_id)
            assert r["service_request_id"] == fire_id and r["status"] == "open", r
            assert r["service_code"] == "fire_hazard" and r["service_name"] == "消防安全隐患"
            assert r["requested_datetime"].endswith("+08:00"), r["requested_datetime"]
            assert "事件编号" in r["service_notice"]

        def not_found_service():
            try:
                client.get_service_definition("potholes")
            except requests.HTTPError as e:
                assert e.response.status_code == 404
                body = e.response.text
                if fmt == "json":
                    assert e.response.json()[0]["code"] == 404, body
                else:
                    assert "<errors><error><code>404</code>" in body, body
            else:
                raise AssertionError("no 404 for an unknown service")

        def not_found_request():
            try:
                client.get_service_request("no-such-request")
            except requests.HTTPError as e:
                assert e.response.status_code == 404, e.response.text
            else:
                raise AssertionError("no 404 for an unknown request")

        for name, fn in [
            ("services", services),
            ("service definition", definition),
            ("requests", all_requests),
            ("requests by service_code", by_service_code),
            ("requests by status", by_status),
            ("requests by service_request_id", by_ids),
            ("requests by date window", by_dates),
            ("request by id", by_id),
            ("404 for an unknown service", not_found_service),
            ("404 for an unknown request", not_found_request),
        ]:
            check(f"[{fmt}] {name}", fn)

    print(f"open311 client: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception:  # noqa: BLE001 - set-up failures count as a failed run
        traceback.print_exc()
        print(f"open311 client: {passed} passed, {failed + 1} failed")
        sys.exit(1)
