"""A minimal django-spirit site for bench/peer_spirit.py, run with spirit's own virtualenv."""
