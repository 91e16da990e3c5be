# tests/local.mk - the test suite.  Each test program is a GLib test run
# with --tap; shell tests print TAP themselves.
include tests/disk.mk
