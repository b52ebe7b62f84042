"""Buddy pairing (SPEC section 6): the pairing optimiser, pairs and buddy check-ins."""
