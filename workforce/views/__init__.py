"""public: reporting and the reporter's follow-up. reports: the leads' casework.
figures: the dashboard, API, CSV and imports."""
