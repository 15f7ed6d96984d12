"""The import of pupils from a school's MIS export: the file, its check and its changes to the register."""
