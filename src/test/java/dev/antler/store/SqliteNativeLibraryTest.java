package dev.antler.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;

class SqliteNativeLibraryTest {

  @Test
  void cachesTheLibraryAndPointsTheDriverAtIt() throws Exception {
    SqliteNativeLibrary.useCachedCopy();
    String path = System.getProperty("org.sqlite.lib.path");
    String name = System.getProperty("org.sqlite.lib.name");

    assertThat(path).as("a cached copy is used on this machine").isNotNull();
    Path library = Path.of(path, name);
    assertThat(Files.size(library)).isPositive();
    assertThat(library.getParent().getFileName().toString()).startsWith("sqlite-jdbc-");
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:")) {
      assertThat(connection.createStatement().executeQuery("select sqlite_version()").next()).isTrue();
    }
    assertThat(Files.list(library.getParent()).filter(f -> f.getFileName().toString().startsWith("partial-")))
        .as("no partial copies left behind").isEmpty();
  }
}
