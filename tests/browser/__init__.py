"""Browser tests: Debian's Chromium, driven by Playwright, against the shipped site served from a sub-path."""
