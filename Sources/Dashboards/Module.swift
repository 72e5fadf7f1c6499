// Dashboards
