# tests: read
