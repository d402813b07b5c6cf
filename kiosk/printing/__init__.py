"""Tickets and voice-box receipts on a thermal printer (ESC/POS), printed as raster images.

Hangul never goes through a printer code page (python-escpos would turn it into ``?``): every
ticket is drawn with Pillow at the printer's dot width and sent as a ``GS v 0`` raster, then cut.
Printing runs on the spooler's worker thread, so the kiosk's screen never waits for paper.
Qt-free and store-free: the UI hands in plain ``TicketPrint`` / ``ReceiptPrint`` values.
"""
