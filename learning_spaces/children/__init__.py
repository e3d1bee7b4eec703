"""Proud to be Me: the children's and young people's feedback form.

Same anonymity protections as the adults' form (no name, address, browser or
time of day stored; honeypot, rate limit and one-time form token) and the same
small-group rule for figures. Children's words never go to the board: there is
no consent question and no way to promote an answer to a quote.
"""
