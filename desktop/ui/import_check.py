"""PySide6's look at every module imported after it, made cheap.

PySide6 replaces `import` with its own, for `from __feature__ import
snake_case`: after each import of a module it has not seen, it asks whether
that module's source names "PySide6" (only such a module may switch
features) and asks through `inspect.getsource`, which walks sys.modules,
fills linecache and splits the whole file into lines. Over the three
hundred modules of the data layer (SQLAlchemy, the models, the services),
loaded after Qt while the window's frame is already on screen, that was a
fifth of the wait for the first page's figures. Reading the file's bytes
answers the same question in a fraction of the time, and keeps no copy of
every source in memory.

This program uses no feature, and the answer is the same as PySide's own
for every module (tests/ui/test_startup_window.py compares them). A
PySide6 that keeps the check elsewhere is left as it is.
"""

from __future__ import annotations

import sys
from types import ModuleType


def names_pyside(module: ModuleType) -> bool:
    """Whether the module's source file names PySide6 (False when it has none, as PySide says)."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False
    try:
        with open(path, "rb") as source:
            return b"PySide6" in source.read()
    except OSError:
        return False


def install() -> None:
    """Answer PySide's question with `names_pyside` from now on (PySide6 must be imported)."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = names_pyside  # type: ignore[attr-defined]
