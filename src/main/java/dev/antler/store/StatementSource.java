package dev.antler.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Prepared statements whose closing the source owns: callers execute them and never close them. */
@FunctionalInterface
public interface StatementSource {

    PreparedStatement prepare(String sql) throws SQLException;
}
