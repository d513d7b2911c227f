"""One module per page: its state (thin, loads through services in on_load) and its component."""
