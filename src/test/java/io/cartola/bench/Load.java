package io.cartola.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cartola.callback.CallbackToken;
import io.cartola.local.FunctionProcess;
import io.cartola.local.FunctionUrl;
import io.cartola.local.RuntimeApi;
import io.cartola.testing.Envelopes;

/**
 * Load on the webhook as deployed: N instances behind the Function URL (the template's reserved
 * concurrency), distinct callbacks from many clients at once plus re-sent duplicates, on loopback,
 * bounded. Afterwards it checks storage: every accepted callback's data exactly once.
 */
final class Load {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int TRANSACTIONS = 5;
    static final int ACCOUNTS = 40;

    record Sent(String operationId, int status, long nanos) {
    }

    static void run(FunctionProcess.Launcher launcher, int callbacks, int clients, int instances) throws Exception {
        String mode = launcher.isNative() ? "native" : "jvm";
        int duplicates = callbacks / 10;
        Benchmarks.say("%n4. Load (%s): %d distinct callbacks + %d duplicates from %d clients at once, %d webhook instances,"
                + " filesystem store", mode, callbacks, duplicates, clients, instances);
        Path data = Files.createTempDirectory(Benchmarks.WORK.toAbsolutePath(), "load");
        Map<String, String> env = Benchmarks.env(null, data);
        CallbackToken tokens = new CallbackToken(Benchmarks.SECRET, Duration.ofHours(1), Clock.systemUTC());
        List<String[]> requests = new ArrayList<>(); // {url query, body, operationId}
        for (int i = 0; i < callbacks; i++) {
            String account = String.format("%012d", 700_000_000L + i % ACCOUNTS);
            String operationId = "load-" + i;
            requests.add(new String[] { "?t=" + io.cartola.testing.Tokens.requested(tokens, account, Instant.now()),
                    Envelopes.ok(operationId, Envelopes.transactions(TRANSACTIONS, operationId + "-")), operationId });
        }
        for (int i = 0; i < duplicates; i++) {
            requests.add(requests.get(i * 7 % callbacks));
        }
        Collections.shuffle(requests, new java.util.Random(42));

        List<FunctionProcess> processes = new ArrayList<>();
        List<Runnable> closing = new ArrayList<>();
        ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
        double wall;
        try (RuntimeApi api = new RuntimeApi("webhook"); FunctionUrl url = new FunctionUrl(api)) {
            for (int i = 0; i < instances; i++) {
                processes.add(FunctionProcess.start("webhook", launcher, api, env,
                        Benchmarks.WORK.resolve("logs").resolve("load-" + mode + "-" + i + ".log")));
            }
            ExecutorService clientThreads = Executors.newFixedThreadPool(clients);
            closing.add(clientThreads::shutdownNow);
            HttpClient http = HttpClient.newBuilder().executor(clientThreads).build();
            for (int i = 0; i < instances * 4; i++) { // every instance started before the clock starts
                http.send(HttpRequest.newBuilder(URI.create(url.url())).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                        HttpResponse.BodyHandlers.discarding());
            }
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            long t0 = System.nanoTime();
            for (String[] r : requests) {
                pool.submit(() -> {
                    long s0 = System.nanoTime();
                    int status;
                    try {
                        status = http.send(HttpRequest.newBuilder(URI.create(url.url() + r[0])).timeout(Duration.ofSeconds(60))
                                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(r[1])).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (Exception e) {
                        status = -1;
                    }
                    sent.add(new Sent(r[2], status, System.nanoTime() - s0));
                });
            }
            pool.shutdown();
            if (!pool.awaitTermination(15, TimeUnit.MINUTES)) {
                pool.shutdownNow();
            }
            wall = (System.nanoTime() - t0) / 1e9;
        } finally {
            processes.forEach(FunctionProcess::close);
            // no thread may outlive the run: Maven waits for them
            closing.forEach(Runnable::run);
        }

        List<Long> latencies = sent.stream().map(Sent::nanos).sorted().toList();
        long errors = sent.stream().filter(s -> s.status() != 200).count();
        Set<String> accepted = new HashSet<>();
        sent.stream().filter(s -> s.status() == 200).forEach(s -> accepted.add(s.operationId()));
        // storage: each accepted callback once in raw/ (under its request; the OperationId is inside), its transactions
        // once in the views; a stored callback writes no record (records are for what went wrong)
        List<Path> raw = files(data.resolve("raw"));
        Set<String> rawOperations = new HashSet<>();
        for (Path p : raw) {
            rawOperations.add(JSON.readTree(p.toFile()).path("OperationId").asText());
        }
        long results = files(data.resolve("operations")).stream().filter(p -> p.toString().endsWith(".result.json")).count();
        List<String> lines = new ArrayList<>();
        for (Path view : files(data.resolve("view"))) {
            lines.addAll(Files.readAllLines(view));
        }
        Set<String> ids = new HashSet<>();
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            ids.add(node.get("TransactionId").asText());
        }
        long missing = accepted.stream().filter(op -> !rawOperations.contains(op)).count();
        Benchmarks.say("%-8s %10s %10s %10s %10s %8s", "requests", "req/s", "p50 ms", "p99 ms", "max ms", "errors");
        Benchmarks.say("%-8d %10.0f %10.1f %10.1f %10.1f %8d", sent.size(), sent.size() / wall, pct(latencies, 50), pct(latencies, 99),
                latencies.get(latencies.size() - 1) / 1e6, errors);
        Benchmarks.say("stored: %d accepted distinct callbacks, %d raw snapshots, %d failure records, %d view lines, %d distinct"
                + " transaction ids (expected %d), %d accepted but missing -> %s", accepted.size(), raw.size(), results, lines.size(),
                ids.size(), accepted.size() * TRANSACTIONS, missing,
                raw.size() == accepted.size() && results == 0 && lines.size() == ids.size()
                        && ids.size() == accepted.size() * TRANSACTIONS && missing == 0 ? "exactly once" : "MISMATCH");
    }

    static double pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
    }

    static List<Path> files(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).toList();
        }
    }

    private Load() {
    }
}
