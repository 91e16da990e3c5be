# tests: diff
