package io.cartola.bench;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cartola.config.CartolaConfig;
import io.cartola.callback.CallbackService;
import io.cartola.callback.CallbackToken;
import io.cartola.records.OperationLog;
import io.cartola.records.TransactionView;
import io.cartola.khipu.EnvelopeReader;
import io.cartola.storage.FileObjectStore;
import io.cartola.testing.Envelopes;
import io.cartola.testing.Mappers;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The webhook's core in this JVM (parse, verify, store to the filesystem store), wired as the
 * application wires it, against plain Jackson reading the same bytes into a tree.
 */
final class CallbackCost {

    static void run() throws Exception {
        Path dir = Files.createTempDirectory(Benchmarks.WORK.toAbsolutePath(), "cost");
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(CartolaConfig.class)
                .withDefaultValues(Map.of("cartola.callback.secret", Benchmarks.SECRET, "cartola.file.dir", dir.toString(),
                        "cartola.callback.max-body-bytes", String.valueOf(Integer.MAX_VALUE)))
                .build();
        CartolaConfig cartola = config.getConfigMapping(CartolaConfig.class);
        ObjectMapper mapper = Mappers.quarkusLike();
        Clock clock = Clock.systemUTC();
        CallbackToken tokens = new CallbackToken(cartola, clock);
        FileObjectStore store = new FileObjectStore(dir);
        CallbackService webhook = new CallbackService(cartola, tokens, new EnvelopeReader(mapper),
                new OperationLog(store, new TransactionView(mapper, store), mapper, clock),
                new io.cartola.telemetry.Metrics(mapper, clock, cartola));
        ObjectMapper plain = new ObjectMapper();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        Benchmarks.say("%n2. Callback processing: the webhook's core (parse, verify, store to the filesystem store) against plain"
                + " Jackson reading the same body into a tree; JVM, after 50 warm-up callbacks (2 for 100,000), median of 5 (3), a new account each time");
        Benchmarks.say("%12s %9s %13s %13s %7s %15s %15s", "transactions", "body MB", "webhook tx/s", "Jackson tx/s", "ratio",
                "webhook alloc", "Jackson alloc");
        for (int n : List.of(10, 1_000, 100_000)) {
            int rounds = n >= 100_000 ? 3 : 5;
            int warmUp = n >= 100_000 ? 2 : 50;
            List<Double> ours = new ArrayList<>();
            List<Double> baseline = new ArrayList<>();
            long oursAlloc = 0;
            long baselineAlloc = 0;
            double mb = 0;
            for (int round = -warmUp; round < rounds; round++) {
                String account = String.format("%012d", 900_000_000L + n + round * 7L + System.nanoTime() % 1000);
                String body = Envelopes.ok("op-" + n + "-" + round + "-" + System.nanoTime(), Envelopes.transactions(n, "c" + round + "-"));
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                mb = bytes.length / 1e6;
                String token = io.cartola.testing.Tokens.requested(tokens, account, Instant.now());
                System.gc();
                long a0 = threads.getCurrentThreadAllocatedBytes();
                long t0 = System.nanoTime();
                CallbackService.Reply reply = webhook.handle(new CallbackService.Callback("POST", token, body, false));
                double took = (System.nanoTime() - t0) / 1e9;
                long allocated = threads.getCurrentThreadAllocatedBytes() - a0;
                if (reply.status() != 200) {
                    throw new IllegalStateException("webhook answered " + reply);
                }
                long b0 = threads.getCurrentThreadAllocatedBytes();
                long j0 = System.nanoTime();
                JsonNode tree = plain.readTree(bytes);
                double jacksonTook = (System.nanoTime() - j0) / 1e9;
                long jacksonAllocated = threads.getCurrentThreadAllocatedBytes() - b0;
                if (tree.at("/Data/Transaction").size() != n) {
                    throw new IllegalStateException("baseline read " + tree.at("/Data/Transaction").size());
                }
                if (round >= 0) { // after the warm-up rounds
                    ours.add(took);
                    baseline.add(jacksonTook);
                    oursAlloc = Math.max(oursAlloc, allocated);
                    baselineAlloc = Math.max(baselineAlloc, jacksonAllocated);
                }
            }
            double oursTps = n / Benchmarks.median(ours);
            double jacksonTps = n / Benchmarks.median(baseline);
            Benchmarks.say("%12d %9.2f %13.0f %13.0f %6.1fx %9.0f MB %4.1fx %9.0f MB %4.1fx", n, mb, oursTps, jacksonTps, jacksonTps / oursTps,
                    oursAlloc / 1e6, oursAlloc / 1e6 / mb, baselineAlloc / 1e6, baselineAlloc / 1e6 / mb);
        }
        Benchmarks.say("(alloc: bytes allocated while handling one callback, and that as a multiple of the body's size)");
    }

    private CallbackCost() {
    }
}
