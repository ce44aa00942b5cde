"""briefbot's front ends: the Telegram app, the console chat and the command line."""
