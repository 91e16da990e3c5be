# tests: write
