"""Start `photosearch watch` at login (a systemd user unit, a launchd agent, a Windows
startup entry) and the window from the applications menu (a freedesktop desktop entry).

One module per kind; each writes its file where the platform looks for it and, where the
platform has a tool for it, asks that tool to start it now.
"""
