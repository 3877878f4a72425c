package dev.antler.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DialectTest {

    @Test
    void mapsEachJdbcSchemeToItsDialect() {
        assertThat(Dialect.of("jdbc:sqlite:data/antler.db")).isEqualTo(Dialect.SQLITE);
        assertThat(Dialect.of("jdbc:postgresql://127.0.0.1:5432/antler")).isEqualTo(Dialect.POSTGRESQL);
        assertThat(Dialect.of("jdbc:mysql://127.0.0.1:3306/antler")).isEqualTo(Dialect.MYSQL);
        assertThat(Dialect.of("jdbc:mariadb://127.0.0.1:3306/antler")).isEqualTo(Dialect.MYSQL);
    }

    @Test
    void namesOneMigrationFolderPerDialect() {
        assertThat(Dialect.SQLITE.migrationLocation()).isEqualTo("classpath:db/migration/sqlite");
        assertThat(Dialect.POSTGRESQL.migrationLocation()).isEqualTo("classpath:db/migration/postgresql");
        assertThat(Dialect.MYSQL.migrationLocation()).isEqualTo("classpath:db/migration/mysql");
    }

    @Test
    void refusesAnUnknownScheme() {
        assertThatThrownBy(() -> Dialect.of("jdbc:h2:mem:x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("database.url: jdbc:h2:mem:x "
                        + "(expected: jdbc:sqlite:, jdbc:postgresql:, jdbc:mysql: or jdbc:mariadb:)");
    }
}
