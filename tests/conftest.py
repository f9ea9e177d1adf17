from __future__ import annotations

from collections.abc import Iterator

import pytest

from deploy.local.stack import Stack
from tests.support import Api, login, start_stack, stop_embedded_server, stop_stack


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Leave no database server behind once the suite is over."""
    stop_embedded_server()


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    """The five real processes on free ports over fresh databases, shared by API tests."""
    running = start_stack("cntest")
    yield running
    stop_stack(running)


@pytest.fixture(scope="session")
def gateway_url(stack: Stack) -> str:
    return stack.config.base_url("gateway")


@pytest.fixture(scope="session")
def admin(gateway_url: str) -> Api:
    return login(gateway_url, "admin")


@pytest.fixture(scope="session")
def province_officer(gateway_url: str) -> Api:
    return login(gateway_url, "tinh.hungyen")


@pytest.fixture(scope="session")
def commune_officer(gateway_url: str) -> Api:
    """xa.phohien: commune police of Phố Hiến (11953)."""
    return login(gateway_url, "xa.phohien")


@pytest.fixture(scope="session")
def other_commune_officer(gateway_url: str) -> Api:
    """xa.hongchau: a peer commune (11980) in the same province."""
    return login(gateway_url, "xa.hongchau")


@pytest.fixture(scope="session")
def facility_staff(gateway_url: str) -> Api:
    return login(gateway_url, "coso.haiphong")


@pytest.fixture(scope="session")
def volunteer(gateway_url: str) -> Api:
    return login(gateway_url, "tnv.phohien")


@pytest.fixture
def anonymous(gateway_url: str) -> Iterator[Api]:
    with Api(gateway_url) as client:
        yield client
