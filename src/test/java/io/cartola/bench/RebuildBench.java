package io.cartola.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cartola.config.CartolaConfig;
import io.cartola.khipu.EnvelopeReader;
import io.cartola.rebuild.RebuildInput;
import io.cartola.rebuild.RebuildResult;
import io.cartola.rebuild.ViewRebuild;
import io.cartola.records.AccountRequest;
import io.cartola.records.Mode;
import io.cartola.records.OperationLog;
import io.cartola.records.TransactionView;
import io.cartola.storage.FileObjectStore;
import io.cartola.telemetry.Metrics;
import io.cartola.testing.Envelopes;
import io.cartola.testing.Mappers;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Rebuilding views from raw: account-days of three snapshots each (the day so far, growing; the last one
 * without one transaction of the second), rebuilt after their views are deleted, against the baseline of
 * ingesting the same answers through the live path (raw write and view merge), on the filesystem store.
 */
final class RebuildBench {

    static void run(int accounts, int days, int transactions) throws Exception {
        Path dir = Files.createTempDirectory(Benchmarks.WORK.toAbsolutePath(), "rebuild");
        ObjectMapper mapper = Mappers.quarkusLike();
        FileObjectStore store = new FileObjectStore(dir);
        CartolaConfig config = new SmallRyeConfigBuilder().withMapping(CartolaConfig.class)
                .withDefaultValues(Map.of("cartola.callback.secret", Benchmarks.SECRET, "cartola.metrics.enabled", "false")).build()
                .getConfigMapping(CartolaConfig.class);
        Clock clock = Clock.systemUTC();
        TransactionView view = new TransactionView(mapper, store);
        OperationLog log = new OperationLog(store, view, mapper, clock);
        EnvelopeReader reader = new EnvelopeReader(mapper);
        LocalDate first = LocalDate.of(2026, 11, 1);
        List<String> names = new ArrayList<>();

        Benchmarks.say("%nRebuild: %d accounts x %d days = %d account-days, 3 snapshots each (up to %d transactions), filesystem store, JVM",
                accounts, days, accounts * days, transactions);
        long t0 = System.nanoTime();
        for (int a = 0; a < accounts; a++) {
            String account = String.format("%012d", 500_000 + a);
            names.add(account);
            for (int d = 0; d < days; d++) {
                LocalDate day = first.plusDays(d);
                Instant morning = day.atTime(12, 0).toInstant(java.time.ZoneOffset.UTC);
                String[] all = Envelopes.transactions(transactions, "t" + a + "-" + d + "-");
                List<String[]> snapshots = List.of(java.util.Arrays.copyOf(all, transactions / 2), all,
                        java.util.Arrays.copyOfRange(all, 1, transactions));
                for (int s = 0; s < snapshots.size(); s++) {
                    Instant at = morning.plusSeconds(3600L * s);
                    byte[] raw = Envelopes.ok("op-" + a + "-" + d + "-" + s, snapshots.get(s)).getBytes(StandardCharsets.UTF_8);
                    log.store(new AccountRequest("btgpactual.cl", account, "r" + a + "-" + d + "-" + s, at, day, Mode.sync), raw,
                            reader.read(raw), null);
                }
            }
        }
        double ingest = (System.nanoTime() - t0) / 1e9;
        for (String account : names) {
            for (int d = 0; d < days; d++) {
                store.delete(AccountRequest.viewKey("btgpactual.cl", account, first.plusDays(d)));
            }
        }
        ViewRebuild rebuild = new ViewRebuild(store, view, reader, mapper, config, new Metrics(mapper, clock, config), clock);
        long t1 = System.nanoTime();
        RebuildResult result = rebuild.rebuild(new RebuildInput(first, first.plusDays(days - 1), null, null));
        double rebuilt = (System.nanoTime() - t1) / 1e9;
        long t2 = System.nanoTime();
        RebuildResult again = rebuild.rebuild(new RebuildInput(first, first.plusDays(days - 1), null, null));
        double idle = (System.nanoTime() - t2) / 1e9;
        Benchmarks.say("%-38s %10s %16s", "", "seconds", "account-days/s");
        Benchmarks.say("%-38s %10.1f %16.0f", "ingest (baseline: raw + view merge)", ingest, accounts * days / ingest);
        Benchmarks.say("%-38s %10.1f %16.0f   (%d written)", "rebuild from raw", rebuilt, accounts * days / rebuilt, result.written());
        Benchmarks.say("%-38s %10.1f %16.0f   (%d unchanged)", "rebuild again (nothing to write)", idle, accounts * days / idle,
                again.unchanged());
    }

    private RebuildBench() {
    }
}
