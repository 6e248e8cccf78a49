"""How long this process has been running: `kepu smoke` reports start-up from the very start.

The time an office waits begins when the program is launched, before the
interpreter has read a line of ours, so the kernel's own record of the
process's start is used (Linux: /proc/self/stat; Windows: GetProcessTimes).
Elsewhere, or should either fail, the clock starts when this module is first
imported, which desktop/__main__ does before anything else.
"""

from __future__ import annotations

import os
import sys
import time

_IMPORTED = time.monotonic()


def _linux_age() -> float:
    with open("/proc/self/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()  # the name in (…) may hold spaces
    started_ticks = int(fields[19])  # field 22, starttime: clock ticks after boot
    return time.clock_gettime(time.CLOCK_BOOTTIME) - started_ticks / os.sysconf("SC_CLK_TCK")


def _windows_age() -> float:
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32")  # type: ignore[attr-defined]
    kernel32.GetCurrentProcess.restype = wintypes.HANDLE
    filetime = ctypes.POINTER(wintypes.FILETIME)
    kernel32.GetProcessTimes.argtypes = [wintypes.HANDLE, filetime, filetime, filetime, filetime]
    kernel32.GetSystemTimePreciseAsFileTime.argtypes = [filetime]
    created, ended, kernel, user, now = (wintypes.FILETIME() for _ in range(5))
    if not kernel32.GetProcessTimes(
        kernel32.GetCurrentProcess(),
        ctypes.byref(created),
        ctypes.byref(ended),
        ctypes.byref(kernel),
        ctypes.byref(user),
    ):
        raise OSError("GetProcessTimes failed")
    kernel32.GetSystemTimePreciseAsFileTime(ctypes.byref(now))

    def ticks(value: wintypes.FILETIME) -> int:  # 100-nanosecond steps
        return (value.dwHighDateTime << 32) | value.dwLowDateTime

    return (ticks(now) - ticks(created)) / 10_000_000


def seconds_since_start() -> float:
    """Seconds since this process was started, by the kernel's record where there is one."""
    since_import = time.monotonic() - _IMPORTED
    try:
        if sys.platform.startswith("linux"):
            age = _linux_age()
        elif sys.platform == "win32":
            age = _windows_age()
        else:
            return since_import
    except (OSError, ValueError, IndexError, AttributeError):
        return since_import
    # A clock that disagrees with what we saw ourselves (a time namespace, a
    # suspended machine) is not believed.
    return age if since_import <= age < since_import + 60 else since_import
