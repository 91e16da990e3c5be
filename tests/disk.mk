# tests of the disk models
