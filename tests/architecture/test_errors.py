"""One error root: every public exception the package defines derives from MonitorError."""
from __future__ import annotations

import importlib
import inspect
import pkgutil

import monitor
from monitor.errors import MonitorError


def package_modules():
    for info in pkgutil.walk_packages(monitor.__path__, "monitor."):
        if info.name != "monitor.__main__":
            yield importlib.import_module(info.name)


def test_every_public_exception_derives_from_monitor_error():
    found, strays = [], []
    for module in package_modules():
        for name, value in vars(module).items():
            if (inspect.isclass(value) and issubclass(value, BaseException) and value.__module__ == module.__name__
                    and not name.startswith("_")):
                found.append(name)
                if not issubclass(value, MonitorError):
                    strays.append(f"{module.__name__}.{name}")
    assert len(found) >= 10
    assert strays == [], "derive these from monitor.errors.MonitorError"
