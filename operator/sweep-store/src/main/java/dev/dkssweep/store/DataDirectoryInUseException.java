package dev.dkssweep.store;

import java.io.IOException;
import java.nio.file.Path;

/** Another live process runs the embedded PostgreSQL of this data directory. */
public final class DataDirectoryInUseException extends IOException {

  private static final long serialVersionUID = 1L;

  DataDirectoryInUseException(Path directory, String holder) {
    super(
        "the database in "
            + directory
            + " is in use by another process ("
            + (holder.isBlank() ? "unknown" : holder)
            + "); wait for it to finish, or choose another --data-dir");
  }
}
