"""Key material: the local certificate authority and the key that seals secrets in the store."""
