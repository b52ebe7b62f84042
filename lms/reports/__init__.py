"""Reports (SPEC section 10): pandas report builders with pages, charts and CSV/XLSX downloads."""
