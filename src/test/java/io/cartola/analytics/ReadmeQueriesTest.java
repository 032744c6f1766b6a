package io.cartola.analytics;

import static io.cartola.analytics.ViewFixture.ACCOUNT;
import static io.cartola.analytics.ViewFixture.DAY;
import static io.cartola.analytics.ViewFixture.NEXT_DAY;
import static io.cartola.analytics.ViewFixture.OTHER;
import static io.cartola.analytics.ViewFixture.S2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cartola.testing.Trino;

/**
 * Every query the README shows, as written, against the same view files: the Athena ones on a real
 * Trino 476 (Athena engine v3 is built on Trino) over a table made from the template's Glue table
 * definition, the DuckDB one on DuckDB. The view is the three-snapshot day: 4,200 current.
 * Amounts must come back as exact decimals.
 */
class ReadmeQueriesTest {

    static final String SCHEMA = "cartola";
    static final String OLD_SCHEMA = "cartola_injected";

    @TempDir
    static Path duckStore;

    /** The view in Trino's file system, and the template's table over it (and the old injected one). */
    @BeforeAll
    static void tables() throws Exception {
        ViewFixture.write(duckStore);
        Trino trino = Trino.get();
        String folder = "run-" + UUID.randomUUID();
        ViewFixture.write(trino.files().resolve(folder));
        DaysFixture.write(trino.files().resolve(folder));
        GlueTable table = GlueTable.fromTemplate("TransactionsTable", "local:///" + folder + "/");
        GlueTable days = GlueTable.fromTemplate("DaysTable", "local:///" + folder + "/");
        try (Connection c = trino.connect(); Statement sql = c.createStatement()) {
            for (String schema : List.of(SCHEMA, OLD_SCHEMA)) {
                sql.execute("DROP SCHEMA IF EXISTS hive." + schema + " CASCADE");
                sql.execute("CREATE SCHEMA hive." + schema);
            }
            sql.execute(table.trinoDdl(SCHEMA));
            sql.execute(days.trinoDdl(SCHEMA));
            sql.execute(table.withInjectedAccount().trinoDdl(OLD_SCHEMA));
        }
    }

    /** The README's {@code sql} block whose first line is {@code -- <engine>: <title>}, without its final semicolon. */
    static String query(String engine, String title) throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher m = Pattern.compile("```sql\\n-- " + Pattern.quote(engine + ": " + title) + "\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "the README shows the " + engine + " query '" + title + "'");
        return m.group(1).trim().replaceAll(";$", "");
    }

    static List<List<Object>> athena(String title) throws Exception {
        try (Connection c = Trino.get().connect()) {
            c.setSchema(SCHEMA);
            return run(c, query("Athena", title));
        }
    }

    /**
     * The rows, as {@link #runOnce}. A Trino that has just started says it is up a moment before its node has
     * announced itself with its catalogs ("No nodes available to run query", seen in CI): that, and only that, is
     * asked again, for two minutes at most.
     */
    static List<List<Object>> run(Connection c, String query) throws SQLException {
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
        while (true) {
            try {
                return runOnce(c, query);
            } catch (SQLException e) {
                if (e.getMessage() == null || !e.getMessage().contains("No nodes available") || System.nanoTime() > end) {
                    throw e;
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The rows, as strings (decimals as their plain digits); amount and total columns must be DECIMAL. */
    static List<List<Object>> runOnce(Connection c, String query) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Statement sql = c.createStatement(); ResultSet rs = sql.executeQuery(query)) {
            int columns = rs.getMetaData().getColumnCount();
            for (int i = 1; i <= columns; i++) {
                String label = rs.getMetaData().getColumnLabel(i);
                if (label.equalsIgnoreCase("amount") || label.equalsIgnoreCase("total")) {
                    assertTrue(rs.getMetaData().getColumnTypeName(i).toUpperCase().startsWith("DECIMAL"),
                            label + " is a decimal, not " + rs.getMetaData().getColumnTypeName(i));
                }
            }
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    Object value = rs.getObject(i);
                    row.add(value instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : value == null ? null : value.toString());
                }
                rows.add(row);
            }
        }
        return rows;
    }

    static BigDecimal sum(List<List<Object>> rows, int column) {
        return rows.stream().map(r -> new BigDecimal((String) r.get(column))).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Test
    void anAccountsDayIsItsCurrentLines() throws Exception {
        List<List<Object>> rows = athena("the current lines of an account's day");
        // b-1, the ID-less transfer (one line, now Booked), b-9: not p-9 nor r-5
        assertEquals(List.of("Booked", "Booked", "Booked"), rows.stream().map(r -> r.get(1)).toList(), rows.toString());
        assertEquals(List.of("1000", "2500", "700"), rows.stream().map(r -> r.get(4)).toList());
        assertEquals(new BigDecimal("4200"), sum(rows, 4));
    }

    @Test
    void eachAccountsTotalOfADayNeedsNoAccount() throws Exception {
        assertEquals(List.of(
                List.of(ACCOUNT, "CLP", "3", "4200"),
                List.of(OTHER, "CLP", "2", "10000000000000.00001")), athena("each account's total of a day"));
    }

    @Test
    void whatLeftTheDayIsShownWithWhen() throws Exception {
        assertEquals(List.of(
                List.of(ACCOUNT, "id:p-9", "p-9", "Pending", "2500", ViewFixture.S1, ViewFixture.S1, S2),
                List.of(ACCOUNT, "id:r-5", "r-5", "Booked", "4000", ViewFixture.S1, ViewFixture.S1, S2)), athena("what left a day"));
    }

    @Test
    void everyAccountsDaysOfAMonth() throws Exception {
        assertEquals(List.of(
                List.of(DAY, ACCOUNT, "CLP", "3", "4200"),
                List.of(DAY, OTHER, "CLP", "2", "10000000000000.00001"),
                List.of(NEXT_DAY, ACCOUNT, "CLP", "1", "300")), athena("every account's days of a month"));
    }

    /** The table as it was, with an injected account partition, refuses the same query, as Athena does. */
    @Test
    void anInjectedAccountPartitionRefusesAQueryOverAllAccounts() throws Exception {
        try (Connection c = Trino.get().connect()) {
            c.setSchema(OLD_SCHEMA);
            SQLException refused = assertThrows(SQLException.class, () -> run(c, query("Athena", "each account's total of a day")));
            assertTrue(refused.getMessage().contains("Injected projection requires single predicate"), refused.getMessage());
            // and answers once the account is given: the refusal is the projection's, not a broken table
            run(c, "SELECT count(*) FROM transactions WHERE account = '" + ACCOUNT + "' AND \"date\" = '" + DAY + "'");
        }
    }

    @Test
    void theDuckDbQueryReadsTheCurrentLinesWithExactAmounts() throws Exception {
        String query = query("DuckDB", "the current lines of every account and day").replace("cartola-data/", duckStore + "/");
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
            List<List<Object>> rows = run(db, query);
            assertEquals(6, rows.size(), rows.toString());
            List<List<Object>> day = rows.stream().filter(r -> r.get(0).equals(DAY) && r.get(1).equals(ACCOUNT)).toList();
            assertEquals(List.of("id:b-1", "id:b-9"), day.stream().map(r -> r.get(2)).filter(k -> ((String) k).startsWith("id:")).toList());
            assertEquals(new BigDecimal("4200"), sum(day, 5));
            assertEquals(new BigDecimal("10000000000000.00001"), sum(rows.stream().filter(r -> r.get(1).equals(OTHER)).toList(), 5));
        }
    }

    /** The day records as cartola's live path wrote them, queried over every account of the month, no account given. */
    @Test
    void everyAccountDayThisMonthNotClosedAndBalanced() throws Exception {
        List<List<Object>> rows = athena("every account-day this month not closed and balanced").stream()
                .filter(r -> String.valueOf(r.get(1)).startsWith("00003300000")).toList();
        assertEquals(List.of(DaysFixture.OPEN, DaysFixture.GAP), rows.stream().map(r -> r.get(1)).toList(), rows.toString());
        assertEquals(List.of("false", "balanced"), List.of(String.valueOf(rows.get(0).get(2)), rows.get(0).get(3)));
        assertEquals(List.of("true", "gap", "-15000"), List.of(String.valueOf(rows.get(1).get(2)), rows.get(1).get(3),
                new BigDecimal(String.valueOf(rows.get(1).get(4))).stripTrailingZeros().toPlainString()));
    }
}
