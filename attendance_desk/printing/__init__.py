"""Printed documents: one renderer per kind, each turning a plain data object into PDF bytes."""
