"""Local state shared by every newsdesk process on one machine (SQLite files in the data folder)."""
