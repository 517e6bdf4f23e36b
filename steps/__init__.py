"""Step definitions, in the domain's words, and the test modules that bind the features."""
