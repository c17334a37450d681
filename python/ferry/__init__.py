"""Ferry for Python: write workflows (``ferry.workflows``), run them in a worker
(``python3 -m ferry.worker``), and drive any workflow (``ferry.client``)."""
