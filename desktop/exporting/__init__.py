"""Files out: the return workbook, the PDF summary, collection templates — no Qt."""
