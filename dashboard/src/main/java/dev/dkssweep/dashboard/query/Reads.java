package dev.dkssweep.dashboard.query;

import dev.dkssweep.db.Sql;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/** The dashboard's reads: {@link Sql} queries whose failures are {@link QueryException}s. */
final class Reads {

  private final DataSource dataSource;

  Reads(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  <T> List<T> query(String sql, Sql.Row<T> row, Object... args) {
    try {
      return Sql.query(dataSource, sql, row, args);
    } catch (SQLException e) {
      throw new QueryException(sql.strip().lines().findFirst().orElse(""), e);
    }
  }
}
