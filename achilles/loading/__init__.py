"""Reading text files safely, with a line number for every value, and reporting problems."""
