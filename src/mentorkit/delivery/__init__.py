"""What leaves the terminal: desktop notifications, email, schedulers, the mail program and the clipboard."""
