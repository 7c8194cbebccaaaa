"""Code similarity across a class (``autograder similarity``): what each student wrote
for the questions (extract), pairs compared by copydetect (compare), the CSV and the
page (report); ``run.compare_paths`` does all of it. Student code is parsed, never run."""
