"""Personal data: the registry of tables that hold it, a person's export, erasure and retention."""
