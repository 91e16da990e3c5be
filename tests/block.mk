# tests: block
