package io.cartola.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cartola.khipu.EnvelopeReader;
import io.cartola.records.AccountRequest;
import io.cartola.records.Mode;
import io.cartola.records.TransactionView;
import io.cartola.storage.FileObjectStore;
import io.cartola.testing.Envelopes;
import io.cartola.testing.Mappers;

/**
 * Every query the README shows, run with DuckDB against a view cartola wrote: the DuckDB one as
 * written, the Athena one over a DuckDB view with the Athena table's columns and types. Amounts must
 * come back as exact decimals.
 */
class ReadmeQueriesTest {

    static final String ACCOUNT = "000011887755";
    static final LocalDate DAY = LocalDate.of(2026, 11, 24);

    @TempDir
    Path store;

    @BeforeEach
    void writeAView() {
        var mapper = Mappers.quarkusLike();
        FileObjectStore files = new FileObjectStore(store);
        TransactionView view = new TransactionView(mapper, files);
        String noId = Envelopes.withoutId("\"3500\"", "Cafe");
        byte[] raw = Envelopes.ok("op-readme",
                Envelopes.transaction("t-1", "\"1234.50\"", "uno"),
                Envelopes.transaction("t-2", "9999999999999.99999", "max"),
                Envelopes.transaction("t-3", "\"0.00001\"", "min"), noId, noId).getBytes(StandardCharsets.UTF_8);
        view.merge(new AccountRequest("btgpactual.cl", ACCOUNT, "r1", Instant.parse("2026-11-24T15:00:00Z"), DAY, Mode.sync),
                raw, new EnvelopeReader(mapper).read(raw));
    }

    static String query(String engine) throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher m = Pattern.compile("```sql\\n-- cartola: " + engine + "\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "the README shows a " + engine + " query");
        return m.group(1).trim().replaceAll(";$", "");
    }

    List<List<Object>> run(Statement sql, String query) throws Exception {
        List<List<Object>> rows = new ArrayList<>();
        try (ResultSet rs = sql.executeQuery(query)) {
            int columns = rs.getMetaData().getColumnCount();
            for (int i = 1; i <= columns; i++) {
                if (rs.getMetaData().getColumnLabel(i).equals("amount")) {
                    assertEquals("DECIMAL(18,5)", rs.getMetaData().getColumnTypeName(i), "amounts are decimals, not doubles");
                }
            }
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void theDuckDbQueryReadsTheViewWithExactAmounts() throws Exception {
        String query = query("duckdb").replace("cartola-data/", store.toString() + "/");
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = db.createStatement()) {
            List<List<Object>> rows = run(sql, query);
            assertEquals(5, rows.size(), "identical transactions without an id are two lines");
            List<BigDecimal> amounts = rows.stream().map(r -> (BigDecimal) r.get(4)).sorted().toList();
            assertEquals(List.of(new BigDecimal("0.00001"), new BigDecimal("1234.50000"), new BigDecimal("3500.00000"),
                    new BigDecimal("3500.00000"), new BigDecimal("9999999999999.99999")), amounts);
            assertEquals(ACCOUNT, rows.get(0).get(0).toString());
            assertTrue(rows.get(0).get(3).toString().endsWith("-04:00"), "the offset is kept: " + rows.get(0).get(3));
        }
    }

    @Test
    void theAthenaQueryRunsOverTheTablesColumnsAndTypes() throws Exception {
        String files = store + "/view/*/*/*/transactions.jsonl";
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = db.createStatement()) {
            // the Athena table's columns (lower case, as Glue keeps them) and types, over the same files
            sql.execute("CREATE VIEW transactions AS SELECT account, \"date\", TransactionKey AS transactionkey,"
                    + " BookingDateTime AS bookingdatetime, TransactionInformation AS transactioninformation,"
                    + " struct_pack(amount := Amount.Amount, currency := Amount.Currency) AS amount"
                    + " FROM read_json('" + files + "', format = 'newline_delimited', hive_partitioning = true, hive_types_autocast = false,"
                    + " columns = {TransactionKey: 'VARCHAR', BookingDateTime: 'VARCHAR', TransactionInformation: 'VARCHAR',"
                    + " Amount: 'STRUCT(Amount DECIMAL(18,5), Currency VARCHAR)'})");
            List<List<Object>> rows = run(sql, query("athena"));
            assertEquals(5, rows.size());
            assertEquals("2026-11-24", rows.get(0).get(0).toString());
            assertTrue(rows.stream().anyMatch(r -> new BigDecimal("9999999999999.99999").equals(r.get(3))));
        }
    }
}
