"""Pieces shared by pages: the app shell, toasts, links, page headers, empty states."""
