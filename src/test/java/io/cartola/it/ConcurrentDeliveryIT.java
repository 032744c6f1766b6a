package io.cartola.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.cartola.callback.CallbackToken;
import io.cartola.local.FunctionProcess;
import io.cartola.local.FunctionUrl;
import io.cartola.local.RuntimeApi;
import io.cartola.testing.Accounts;
import io.cartola.testing.Envelopes;
import io.cartola.testing.S3Resource;
import io.cartola.testing.MotoServer;
import io.cartola.testing.S3Objects;

/**
 * The same callback delivered 5 times at once to a webhook running as 5 instances (5 processes
 * polling one Runtime API behind the Function URL, as Lambda scales out): every delivery gets 2xx
 * and the result is stored once. Then 15 different callbacks for one account at once, all racing
 * to update the same view on an S3 that enforces conditional writes: every one gets 2xx (jittered
 * backoff, no 503 under contention) and every transaction is in the view once.
 */
class ConcurrentDeliveryIT {

    static final String SECRET = "concurrent-delivery-secret-0123456789-abc";
    static final int INSTANCES = 5;

    @Test
    void fiveSimultaneousDeliveriesStoreOneResult() throws Exception {
        String account = Accounts.fresh();
        Map<String, String> env = S3Resource.environment(MotoServer.get().endpoint().toString());
        env.put("CARTOLA_CALLBACK_SECRET", SECRET);
        Path logs = Files.createDirectories(Path.of("target", "it-logs", "concurrent"));
        List<FunctionProcess> instances = new ArrayList<>();
        try (RuntimeApi api = new RuntimeApi("webhook"); FunctionUrl url = new FunctionUrl(api)) {
            for (int i = 0; i < INSTANCES; i++) {
                instances.add(FunctionProcess.start("webhook", FunctionProcess.Launcher.fromSystemProperties(), api, env,
                        logs.resolve("webhook-" + i + ".log")));
            }
            // every instance is up before the deliveries arrive: warm them with rejected (unsigned) requests
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < INSTANCES * 3; i++) {
                http.send(HttpRequest.newBuilder(URI.create(url.url())).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                        HttpResponse.BodyHandlers.discarding());
            }
            CallbackToken tokens = new CallbackToken(SECRET, Duration.ofHours(1), Clock.systemUTC());
            String target = url.url() + "?t=" + io.cartola.testing.Tokens.requested(tokens, account, Instant.now());
            String envelope = Envelopes.ok("op-concurrent", Envelopes.transactions(6, "cc-"));

            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(INSTANCES);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < INSTANCES; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return http.send(HttpRequest.newBuilder(URI.create(target)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(envelope)).build(), HttpResponse.BodyHandlers.ofString());
                }));
            }
            go.countDown();
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                assertEquals(200, response.statusCode(), response.body());
            }
            pool.shutdown();
            manySnapshotsForOneAccount(http, url.url(), tokens);
        } finally {
            instances.forEach(FunctionProcess::close);
        }
        S3Objects s3 = new S3Objects();
        assertEquals(1, s3.keys("raw/btgpactual.cl/account=" + account + "/").size());
        assertTrue(s3.only("raw/btgpactual.cl/account=" + account + "/").contains("\"op-concurrent\""));
        List<String> lines = s3.onlyView(account).lines().toList();
        assertEquals(6, lines.size());
    }

    static final int SNAPSHOTS = 15;

    void manySnapshotsForOneAccount(HttpClient http, String url, CallbackToken tokens) throws Exception {
        String account = Accounts.fresh();
        var store = new io.cartola.storage.S3ObjectStore(S3Objects.client(MotoServer.get().endpoint()), MotoServer.BUCKET);
        List<String[]> deliveries = new ArrayList<>();
        for (int i = 0; i < SNAPSHOTS; i++) {
            deliveries.add(new String[] { url + "?t=" + io.cartola.testing.Tokens.requested(tokens, account, Instant.now()),
                    Envelopes.ok("op-many-" + i, Envelopes.transactions(5, "many" + i + "-")) });
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(SNAPSHOTS);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (String[] d : deliveries) {
            answers.add(pool.submit(() -> {
                go.await();
                return http.send(HttpRequest.newBuilder(URI.create(d[0])).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(d[1])).build(), HttpResponse.BodyHandlers.ofString());
            }));
        }
        go.countDown();
        for (Future<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get();
            assertEquals(200, response.statusCode(), response.body());
        }
        pool.shutdown();
        List<String> lines = new S3Objects().onlyView(account).lines().toList();
        assertEquals(SNAPSHOTS * 5, lines.size(), "every acknowledged transaction is in the view");
        assertEquals(SNAPSHOTS * 5, lines.stream().distinct().count());
    }
}
