"""Courses and assignments made for the instructor: ``init``, ``new``, ``new --from``."""
