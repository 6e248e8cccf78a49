"""Files coming into the program: plan documents and plan files.

Pure Python (no Qt, no database), so the same code serves the window, the
command line and the tests.
"""
