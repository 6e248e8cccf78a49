"""The plan outside the database: its typed document, vocabulary and checks.

Nothing here touches the database, a file format or Qt, so every layer above
(services, importing, exporting, the window) may build and read a plan
document the same way.
"""
