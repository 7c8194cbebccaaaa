"""Commands that live in modules of their own; ``autograder.cli`` registers them."""
