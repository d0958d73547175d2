import httpx
import pytest

from vigie.connectors.fake.server import FakeServer, Response


class Echo(FakeServer):
    name = "echo"

    def register_routes(self):
        self.route("GET", r"/v1/items/(?P<pk>\d+)", lambda r: Response(200, {"id": r.match["pk"], "q": r.query}))
        self.route("POST", r"/v1/items", lambda r: Response(201, {"got": r.form()}))


@pytest.fixture
def echo():
    server = Echo()
    server.start()
    yield server
    server.stop()


def test_it_answers_its_routes_over_real_http(echo):
    assert httpx.get(f"{echo.url}/v1/items/7?x=1").json() == {"id": "7", "q": {"x": "1"}}
    assert httpx.post(f"{echo.url}/v1/items", data={"message": "é"}).json() == {"got": {"message": "é"}}
    assert httpx.post(f"{echo.url}/v1/items", json={"message": "é"}).json() == {"got": {"message": "é"}}
    assert echo.calls == [("GET", "/v1/items/7"), ("POST", "/v1/items"), ("POST", "/v1/items")]


def test_an_unknown_route_is_404(echo):
    assert httpx.get(f"{echo.url}/v2/nothing").status_code == 404


def test_faults_on_demand(echo):
    echo.faults.error_rate = 1.0
    assert httpx.get(f"{echo.url}/v1/items/1").status_code == 500
    echo.faults.error_rate = 0.0
    echo.faults.rate_limited = True
    assert httpx.get(f"{echo.url}/v1/items/1").status_code == 429
    echo.faults.rate_limited = False
    echo.faults.timeout_rate, echo.faults.timeout_seconds = 1.0, 0.5
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(f"{echo.url}/v1/items/1", timeout=0.1)


def test_random_faults_are_reproducible(echo):
    echo.faults.error_rate = 0.3
    echo.faults.reseed(42)
    first = [httpx.get(f"{echo.url}/v1/items/1").status_code for _ in range(20)]
    echo.faults.reseed(42)
    assert [httpx.get(f"{echo.url}/v1/items/1").status_code for _ in range(20)] == first
    assert 500 in first and 200 in first
