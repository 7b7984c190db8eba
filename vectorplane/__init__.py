"""vectorplane: a self-hosted control plane for managed Weaviate.

Users speak DigitalOcean's `/v2/vector-databases` API to it; it keeps the desired state in a
store, and a reconciler turns that state into real `weaviate-server` processes.
"""
