"""Catalogues the areas share: the worklist's action kinds and the outcomes of a call.

Pure data with their labels, low in the layering so safeguarding, the worklist, the desk and
the figures can all read them without importing each other.
"""
