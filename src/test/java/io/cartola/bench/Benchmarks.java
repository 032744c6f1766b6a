package io.cartola.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cartola.callback.CallbackToken;
import io.cartola.local.DemoKhipu;
import io.cartola.local.FunctionProcess;
import io.cartola.local.LocalCartola;
import io.cartola.local.RuntimeApi;
import io.cartola.testing.Envelopes;
import io.cartola.storage.FileObjectStore;
import io.cartola.testing.FunctionUrlEvent;
import io.cartola.testing.Tokens;

/**
 * cartola's benchmarks, apart from the tests: cold start (native vs JVM), callback processing cost
 * (against plain Jackson reading the same bytes), and fan-out of one scheduled fetch. Every figure
 * is measured in the same run on the same machine, next to its baseline, and printed as a table.
 * Run with {@code ./mvnw -Pbench package -Dcartola.native=target/cartola-0.1.0-SNAPSHOT-runner}.
 */
public final class Benchmarks {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = "benchmark-signing-key-0123456789-0123456789";
    static final String ACCOUNT = "000011887755";
    static final Path WORK = Path.of("target", "bench");

    public static void main(String[] args) throws Exception {
        int starts = Integer.getInteger("bench.starts", 10);
        FunctionProcess.Launcher jvm = FunctionProcess.Launcher.jvm(Path.of(System.getProperty("cartola.runner")),
                System.getProperty("lambda.ric.classpath"));
        Optional<FunctionProcess.Launcher> nativeLauncher = Optional.ofNullable(System.getProperty("cartola.native"))
                .filter(p -> !p.isBlank() && Files.isExecutable(Path.of(p))).map(p -> FunctionProcess.Launcher.nativeExecutable(Path.of(p)));
        say("cartola benchmarks, %s, %d cores, Java %s", Instant.now(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        if (nativeLauncher.isEmpty()) {
            say("no native executable given (-Dcartola.native=...): native columns are empty");
        }
        Files.createDirectories(WORK);
        // -Dbench.only=cold,cost,rebuild,fanout,load,plan,e2e picks some
        List<String> only = List.of(System.getProperty("bench.only", "cold,cost,rebuild,fanout,load,plan,e2e").split(","));
        try (DemoKhipu khipu = new DemoKhipu(null, Duration.ZERO)) {
            if (only.contains("cold")) {
                coldStart(starts, jvm, nativeLauncher, khipu);
            }
            if (only.contains("cost")) {
                CallbackCost.run();
            }
            if (only.contains("rebuild")) {
                RebuildBench.run(Integer.getInteger("bench.rebuild.accounts", 100), Integer.getInteger("bench.rebuild.days", 10), 30);
            }
            if (only.contains("fanout")) {
                fanOut(nativeLauncher.orElse(jvm), Integer.getInteger("bench.accounts", 1000), Integer.getInteger("bench.concurrency", 8));
            }
            if (only.contains("plan")) {
                PlannerBench.run(nativeLauncher.isPresent() ? List.of(nativeLauncher.get(), jvm) : List.of(jvm),
                        List.of(10_000, Integer.getInteger("bench.plan.accounts", 100_000)));
            }
            if (only.contains("e2e")) {
                QueueBench.run(nativeLauncher.orElse(jvm), Integer.getInteger("bench.e2e.accounts", 10_000),
                        Integer.getInteger("bench.e2e.workers", 5), Integer.getInteger("bench.e2e.batch", 10));
            }
            if (only.contains("load")) {
                for (FunctionProcess.Launcher launcher : nativeLauncher.isPresent() ? List.of(nativeLauncher.get(), jvm) : List.of(jvm)) {
                    Load.run(launcher, Integer.getInteger("load.callbacks", 2000), Integer.getInteger("load.clients", 50),
                            Integer.getInteger("load.instances", 5));
                }
            }
        }
    }

    // ---------------------------------------------------------------- 1. cold start

    record Start(double seconds, long rssKb) {
    }

    static Map<String, String> env(DemoKhipu khipu, Path data) {
        Map<String, String> env = new HashMap<>();
        env.put("CARTOLA_KHIPU_URL", khipu == null ? "http://127.0.0.1:9" : khipu.baseUrl());
        env.put("CARTOLA_KHIPU_API_KEY", "bench");
        env.put("CARTOLA_CALLBACK_URL", "http://127.0.0.1:9/");
        env.put("CARTOLA_CALLBACK_SECRET", SECRET);
        env.put("CARTOLA_STORAGE", "file");
        env.put("CARTOLA_FILE_DIR", data.toAbsolutePath().toString());
        return env;
    }

    /** A signed callback for a request recorded, as fetch records it, in the file store at {@code data}. */
    static String webhookEvent(Path data, int transactions) {
        CallbackToken tokens = new CallbackToken(SECRET, Duration.ofHours(1), Clock.systemUTC());
        String envelope = Envelopes.ok("op-" + System.nanoTime(), Envelopes.transactions(transactions, "b" + System.nanoTime() + "-"));
        return FunctionUrlEvent.post(Tokens.requested(tokens, ACCOUNT, Instant.now()), envelope);
    }

    /** From process start to the first invocation's answer. */
    static Start start(String function, FunctionProcess.Launcher launcher, DemoKhipu khipu, Path data, String event, int i)
            throws Exception {
        Map<String, String> env = env(khipu, data);
        env.put("CARTOLA_CALLBACK_MAX_BODY_BYTES", "1000000000");
        try (RuntimeApi api = new RuntimeApi(function)) {
            var answer = api.invoke(event);
            long t0 = System.nanoTime();
            try (FunctionProcess process = FunctionProcess.start(function, launcher, api, env,
                    WORK.resolve("logs").resolve(function + (launcher.isNative() ? "-native-" : "-jvm-") + i + ".log"))) {
                RuntimeApi.Result result = LocalCartola.await(answer, api, process, Duration.ofMinutes(2));
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (result.error() || (function.equals("webhook") && !result.body().contains("\"statusCode\":200"))
                        || (function.equals("fetch") && !result.body().contains("STORED"))) {
                    throw new IllegalStateException(function + " answered " + result.body());
                }
                return new Start(seconds, rss(process.pid()));
            }
        }
    }

    static void coldStart(int starts, FunctionProcess.Launcher jvm, Optional<FunctionProcess.Launcher> nat, DemoKhipu khipu)
            throws Exception {
        say("%n1. Cold start: process start to first response, %d starts each (fetch: sync, 1 account, stand-in Khipu;"
                + " webhook: a signed 3-transaction callback)", starts);
        say("%-8s %-7s %10s %10s %16s", "function", "mode", "median s", "max s", "RSS after 1st");
        Map<String, Double> medians = new HashMap<>();
        for (String function : List.of("fetch", "webhook")) {
            for (FunctionProcess.Launcher launcher : nat.isPresent() ? List.of(nat.get(), jvm) : List.of(jvm)) {
                List<Start> runs = new ArrayList<>();
                for (int i = 0; i < starts; i++) {
                    Path data = Files.createTempDirectory(WORK.toAbsolutePath(), "cold");
                    String event = function.equals("fetch") ? "{\"accounts\":[\"" + ACCOUNT + "\"],\"mode\":\"sync\"}" : webhookEvent(data, 3);
                    runs.add(start(function, launcher, khipu, data, event, i));
                }
                List<Double> seconds = runs.stream().map(Start::seconds).sorted().toList();
                double median = median(seconds);
                String mode = launcher.isNative() ? "native" : "jvm";
                medians.put(function + mode, median);
                say("%-8s %-7s %10.3f %10.3f %13.1f MB", function, mode, median, seconds.get(seconds.size() - 1),
                        runs.stream().mapToLong(Start::rssKb).max().orElse(0) / 1024.0);
            }
            if (nat.isPresent()) {
                say("%-8s native/JVM median ratio: %.3f (1/%.0f)", function, medians.get(function + "native") / medians.get(function + "jvm"),
                        medians.get(function + "jvm") / medians.get(function + "native"));
            }
        }
        if (nat.isPresent()) {
            Path exe = nat.get().executable();
            // the native build's zip; target/function.zip is whatever the last package wrote (this run's JVM build)
            Path zip = exe.resolveSibling("native").resolve("function.zip");
            say("native executable %,d bytes, native function.zip %s", Files.size(exe),
                    Files.exists(zip) ? String.format("%,d bytes", Files.size(zip)) : "not built (target/native/function.zip)");
        }
    }

    // ---------------------------------------------------------------- 3. fan-out

    static void fanOut(FunctionProcess.Launcher launcher, int accounts, int concurrency) throws Exception {
        Duration answer = Duration.ofMillis(200);
        say("%n3. Fan-out: one scheduled fetch of %d accounts, Khipu stand-in answering each request after %d ms, concurrency %d (%s)",
                accounts, answer.toMillis(), concurrency, launcher.isNative() ? "native" : "jvm");
        Path data = Files.createTempDirectory(WORK.toAbsolutePath(), "fanout");
        try (DemoKhipu slow = new DemoKhipu(null, answer)) {
            Map<String, String> env = env(slow, data);
            env.put("CARTOLA_FETCH_CONCURRENCY", String.valueOf(concurrency));
            env.put("CARTOLA_ACCOUNTS", IntStream.range(0, accounts).mapToObj(i -> String.format("%012d", 500_000_000L + i))
                    .collect(Collectors.joining(",")));
            try (RuntimeApi api = new RuntimeApi("fetch");
                    FunctionProcess process = FunctionProcess.start("fetch", launcher, api, env, WORK.resolve("logs").resolve("fanout.log"))) {
                // warm: the first invocation pays the start; the schedule's invocation is timed on a started function
                LocalCartola.await(api.invoke("{\"accounts\":[\"000000000001\"],\"mode\":\"async\"}"), api, process, Duration.ofMinutes(2));
                long t0 = System.nanoTime();
                RuntimeApi.Result r = LocalCartola.await(api.invoke("{\"mode\":\"async\"}"), api, process, Duration.ofMinutes(20));
                double wall = (System.nanoTime() - t0) / 1e9;
                JsonNode result = JSON.readTree(r.body());
                double ideal = accounts * answer.toMillis() / 1000.0 / concurrency;
                say("%-10s %10s %10s %10s %12s", "accounts", "accepted", "wall s", "ideal s", "over ideal");
                say("%-10d %10d %10.2f %10.2f %11.1f%%", accounts, result.path("accepted").asInt(), wall, ideal, (wall / ideal - 1) * 100);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static long rss(long pid) {
        return status(pid, "VmRSS:");
    }

    static long hwm(long pid) {
        return status(pid, "VmHWM:");
    }

    static long status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }

}
