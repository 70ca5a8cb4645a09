package dev.dkssweep.store;

import dev.dkssweep.db.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * The store's statements: {@link Sql} with failures as {@link StoreException}s that say what was
 * being done, and the batched insert of a sweep's rows in one transaction.
 */
final class Statements {

  private final DataSource dataSource;

  Statements(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  <T> List<T> query(String what, String sql, Sql.Row<T> row, Object... args) {
    try {
      return Sql.query(dataSource, sql, row, args);
    } catch (SQLException e) {
      throw new StoreException(what, e);
    }
  }

  int update(String what, String sql, Object... args) {
    try {
      return Sql.update(dataSource, sql, args);
    } catch (SQLException e) {
      throw new StoreException(what, e);
    }
  }

  /** Work on one connection in one transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws
   * (its exception is rethrown; an SQL failure as a {@link StoreException} saying {@code what}).
   */
  <T> T inTransaction(String what, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T out = work.run(c);
        c.commit();
        return out;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException(what, e);
    }
  }

  /** Inserts rows of a recorded sweep, all or none; an unknown sweep is refused. */
  void batch(String what, String sweepUid, String sql, List<Object[]> rows) {
    inTransaction(
        what,
        c -> {
          try (PreparedStatement check = c.prepareStatement("SELECT 1 FROM sweeps WHERE uid = ?")) {
            check.setString(1, sweepUid);
            try (ResultSet rs = check.executeQuery()) {
              if (!rs.next()) {
                throw new IllegalArgumentException(
                    "unknown sweep " + sweepUid + "; record it first");
              }
            }
          }
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] row : rows) {
              Sql.bind(ps, row);
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
  }
}
