from fabstub import AppBuilder  # noqa: F401
