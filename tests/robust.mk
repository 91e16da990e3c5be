# tests: robust
