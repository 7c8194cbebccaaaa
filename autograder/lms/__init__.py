"""Learning management systems: their archives in, their grade files out.

``archives`` reads an LMS's "download all submissions" zip (Moodle, Canvas, or a plain
zip of notebooks) into notebooks in a temporary folder; ``export`` writes a results
folder as the LMS's own grade file, one module per LMS (``moodle``, ``canvas``,
``plain``) behind the small :class:`~autograder.lms.base.GradeFormat` interface.
"""
