# tests: workload
