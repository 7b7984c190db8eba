"""The reconciler: workers that claim durable operations and bring servers to the desired state,
and an observer that notices when running servers drift from it."""
