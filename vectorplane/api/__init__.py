"""The HTTPS API: DigitalOcean's /v2/vector-databases, its auth, scopes and rate limits."""
