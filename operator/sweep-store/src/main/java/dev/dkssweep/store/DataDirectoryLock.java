package dev.dkssweep.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The claim of one process on a data directory's embedded PostgreSQL: an exclusive lock on the file
 * beside it ({@code postgres.lock} next to {@code postgres/}; initdb wants the directory itself
 * empty) held for as long as the database runs. The operating system drops the lock when its
 * process dies however it dies, so a lock that can be taken means nobody owns the directory (a
 * postmaster still running there is an orphan), and one that cannot means a live process does: its
 * PostgreSQL must not be touched. The file says who holds it.
 */
final class DataDirectoryLock implements AutoCloseable {

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the directory.
   *
   * @throws DataDirectoryInUseException naming the process that holds it
   */
  static DataDirectoryLock acquire(Path directory) throws IOException {
    Path file = directory.resolveSibling(directory.getFileName() + ".lock");
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // this very process holds it already
    }
    if (lock == null) {
      String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
      channel.close();
      throw new DataDirectoryInUseException(directory, holder);
    }
    DataDirectoryLock claim = new DataDirectoryLock(channel, lock);
    claim.describe("pid " + ProcessHandle.current().pid());
    return claim;
  }

  /** Says who holds the directory (and, say, where its dashboard is), for a refused process. */
  void describe(String holder) throws IOException {
    channel.truncate(0);
    channel.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
    channel.force(true);
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
