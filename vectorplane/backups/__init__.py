"""Backups: where they are stored (`storage` port, `filesystem` and `s3` drivers), how Weaviate is
asked to make and restore them (`engine_api`), and when they are taken and pruned (`schedule`)."""
