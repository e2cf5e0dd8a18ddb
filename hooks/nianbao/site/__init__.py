"""The site's pages: tables, report/agency/index pages, charts, search, and the MkDocs adapter."""
