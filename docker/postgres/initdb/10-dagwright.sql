-- The services' state (bookmarks, jobs, ledgers) lives beside Airflow's metadata, in its own database.
CREATE DATABASE dagwright;
