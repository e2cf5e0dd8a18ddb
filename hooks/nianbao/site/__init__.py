"""The site's pages as a plain library: tables, report/agency/index pages, charts, data files. No MkDocs here."""
