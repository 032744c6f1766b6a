package io.cartola.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * README command 1: cartola's main job on this machine, with no AWS account and no Khipu key.
 * Runs the packaged functions as Lambda would (two processes polling local Runtime APIs, the webhook
 * behind a local Function URL), a Khipu stand-in that answers 202 and then calls back, and the
 * filesystem store. Invokes fetch with the schedule's event, waits for the callbacks, and shows what
 * was stored. The stand-in holds back the last account's callback: past the (short, local) deadline
 * the next run records it lost and asks synchronously, and the late callback then merges without
 * doubling anything. With CARTOLA_KHIPU_API_KEY (or _BEARER_TOKEN) set it talks to Khipu itself instead.
 */
public final class LocalRun {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static void main(String[] args) throws Exception {
        Path data = Path.of(System.getProperty("cartola.local.dir", "cartola-data")).toAbsolutePath();
        Path logs = Path.of(System.getProperty("cartola.local.logs", "target/local-run")).toAbsolutePath();
        String accounts = System.getProperty("cartola.local.accounts", "000011887755,000022334455");
        FunctionProcess.Launcher launcher = FunctionProcess.Launcher.fromSystemProperties();
        boolean realKhipu = System.getenv("CARTOLA_KHIPU_API_KEY") != null || System.getenv("CARTOLA_KHIPU_BEARER_TOKEN") != null;
        // a real Khipu can only call back to a public URL; without one, ask for the result in the response
        String mode = realKhipu && System.getenv("CARTOLA_CALLBACK_URL") == null ? "sync" : "async";
        Instant started = Instant.now();

        Map<String, String> env = new HashMap<>();
        env.put("CARTOLA_STORAGE", "file");
        env.put("CARTOLA_FILE_DIR", data.toString());
        env.put("CARTOLA_ACCOUNTS", accounts);
        env.put("CARTOLA_CALLBACK_SECRET", randomSecret());
        for (String name : List.of("CARTOLA_KHIPU_URL", "CARTOLA_KHIPU_API_KEY", "CARTOLA_KHIPU_BEARER_TOKEN", "CARTOLA_CALLBACK_URL")) {
            if (System.getenv(name) != null) {
                env.put(name, System.getenv(name));
            }
        }
        DemoKhipu demo = null;
        if (!realKhipu) {
            demo = new DemoKhipu();
            demo.reverseLastMovementOnLaterAnswers();
            env.put("CARTOLA_KHIPU_URL", demo.baseUrl());
            env.put("CARTOLA_KHIPU_API_KEY", "local-demo-key");
            env.put("CARTOLA_CALLBACK_DEADLINE", LOCAL_DEADLINE.toString());
        }
        try (LocalCartola cartola = LocalCartola.start(launcher, env, logs)) {
            say("cartola, locally (%s)", launcher.isNative() ? "native executable " + launcher.executable() : "JVM, " + launcher.runnerJar());
            say("  Khipu:        %s", realKhipu ? env.getOrDefault("CARTOLA_KHIPU_URL", "https://api.khipu.com") : demo.baseUrl() + " (stand-in)");
            say("  webhook URL:  %s", env.getOrDefault("CARTOLA_CALLBACK_URL", cartola.webhookUrl()));
            say("  storage:      %s", data);
            say("  function logs: %s", logs);
            String event = "{\"mode\":\"" + mode + "\"}";
            List<String> listed = List.of(accounts.split(","));
            String dropped = listed.get(listed.size() - 1);
            if (demo != null) {
                demo.withholdNextCallback(dropped);
                demo.leaveGapIn(listed.get(0));
            }
            say("%ninvoking fetch with the schedule's event %s for accounts %s", event, accounts);
            JsonNode answer = fetch(cartola, event);
            int delivered = 0;
            boolean held = false;
            for (JsonNode a : answer.path("accounts")) {
                held |= a.path("account").asText().equals(mask(dropped)) && a.path("outcome").asText().equals("ACCEPTED");
            }
            if (demo != null && held) {
                int expected = answer.path("accepted").asInt() - 1;
                say("%nwaiting for Khipu's callbacks; the stand-in holds back the one for %s, as a lost callback...",
                        mask(dropped));
                delivered = awaitCallbacks(demo, expected, logs);
                say("%nwaiting past the callback deadline (%s here) and running fetch again: the held-back request is"
                        + " recorded lost and its account asked synchronously", LOCAL_DEADLINE);
                Thread.sleep(LOCAL_DEADLINE.plusSeconds(1).toMillis());
                JsonNode again = fetch(cartola, event);
                if (again.path("lost").asInt() < 1 || again.path("stored").asInt() < 1) {
                    throw new IllegalStateException("the lost callback was not recovered; see " + logs.resolve("fetch.log"));
                }
                delivered = awaitCallbacks(demo, delivered + again.path("accepted").asInt(), logs);
                say("%nthe held-back callback arrives late: it is accepted and merged, nothing doubled");
                demo.releaseWithheld();
                awaitCallbacks(demo, delivered + 1, logs);
            } else if (demo != null) {
                awaitCallbacks(demo, answer.path("accepted").asInt(), logs);
            }
            showStored(data, started);
        } finally {
            if (demo != null) {
                demo.close();
            }
        }
    }

    static final Duration LOCAL_DEADLINE = Duration.ofSeconds(3);

    static JsonNode fetch(LocalCartola cartola, String event) throws Exception {
        RuntimeApi.Result result = cartola.invokeFetch(event, Duration.ofMinutes(5));
        JsonNode answer = JSON.readTree(result.body());
        say("fetch answered%s:%n%s", result.error() ? " with an error" : "", JSON.writeValueAsString(answer));
        if (result.error()) {
            throw new IllegalStateException("fetch failed");
        }
        if (answer.path("failed").asInt() > 0) {
            throw new IllegalStateException(answer.path("failed").asInt() + " account(s) failed; see the function logs");
        }
        return answer;
    }

    /** Waits until {@code total} callbacks were delivered in all; each must have been stored. */
    static int awaitCallbacks(DemoKhipu demo, int total, Path logs) throws InterruptedException {
        List<DemoKhipu.Delivery> deliveries = demo.awaitDeliveries(total, Duration.ofMinutes(2));
        for (DemoKhipu.Delivery d : deliveries.subList(Math.min(shown, deliveries.size()), deliveries.size())) {
            say("  callback %s -> HTTP %d %s", d.operationId(), d.status(), d.body());
        }
        shown = deliveries.size();
        if (deliveries.size() < total || deliveries.stream().anyMatch(d -> d.status() != 200)) {
            throw new IllegalStateException("not every callback was stored; see " + logs.resolve("webhook.log"));
        }
        return deliveries.size();
    }

    private static int shown;

    static String mask(String account) {
        return account.length() <= 4 ? "****" : "****" + account.substring(account.length() - 4);
    }

    static void showStored(Path data, Instant since) throws IOException {
        say("%nwritten under %s in this run:", data);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(data)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> modified(p).toInstant().isAfter(since.minusSeconds(1)))
                    .sorted().toList();
        }
        for (Path file : files) {
            say("  %s (%d bytes)", data.relativize(file), Files.size(file));
        }
        for (Path file : files) {
            if (file.toString().endsWith(".jsonl")) {
                showDay(data, file);
            }
        }
        for (Path file : files) {
            if (data.relativize(file).startsWith("days")) {
                showRecord(data, file);
            }
        }
    }

    /** The account-day's record: closed, reconciled against the bank's balances, and where a gap is. */
    static void showRecord(Path data, Path record) throws IOException {
        JsonNode day = JSON.readTree(record.toFile());
        String account = day.path("account").asText();
        say("%nthe day's record of %s (%s): %s, %s%s", mask(account), data.relativize(record).toString().replace(account, mask(account)),
                day.path("closed").asBoolean() ? "closed" : "not closed (no snapshot after 23:00 yet)",
                day.path("reconciliation").asText(), day.path("gapAmount").isTextual()
                        ? " of " + day.get("gapAmount").asText() + " CLP between " + day.at("/gaps/0/after").asText() + " and "
                                + day.at("/gaps/0/before").asText() + " (the stand-in's balances include a debit it never listed)"
                        : "");
        ((com.fasterxml.jackson.databind.node.ObjectNode) day).put("account", mask(account));
        say("  %s", JSON.writeValueAsString(day));
    }

    /** The account's day as an analyst sums it: the current lines (RemovedAt null), and what left the day. */
    static void showDay(Path data, Path view) throws IOException {
        java.math.BigDecimal net = java.math.BigDecimal.ZERO;
        int current = 0;
        StringBuilder removed = new StringBuilder();
        List<String> lines = Files.readAllLines(view);
        for (String text : lines) {
            JsonNode line = JSON.readTree(text);
            java.math.BigDecimal amount = new java.math.BigDecimal(line.at("/Amount/Amount").asText("0"));
            if (line.path("RemovedAt").isNull()) {
                current++;
                net = net.add("Debit".equals(line.path("CreditDebitIndicator").asText()) ? amount.negate() : amount);
            } else {
                removed.append(String.format("%n  removed at %s: %s %s %s", line.get("RemovedAt").asText(),
                        line.path("CreditDebitIndicator").asText(), amount.toPlainString(), line.path("TransactionInformation").asText()));
            }
        }
        say("%n%s: %d lines; the day's current total: %d transactions, net %s CLP%s", data.relativize(view), lines.size(), current,
                net.toPlainString(), removed.length() == 0 ? "" : "; what left the day:" + removed);
        say("  first line: %s", lines.get(0));
    }

    static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }
}
