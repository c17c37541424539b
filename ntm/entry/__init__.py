"""The commune's data entry page: built on the figures it records (ntm.figures) and on the commune's results
it shows (ntm.evaluation), so it sits above both."""
