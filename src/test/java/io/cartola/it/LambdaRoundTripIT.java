package io.cartola.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cartola.local.DemoKhipu;
import io.cartola.local.FunctionProcess;
import io.cartola.local.LocalCartola;
import io.cartola.local.RuntimeApi;
import io.cartola.testing.Accounts;
import io.cartola.testing.S3Resource;
import io.cartola.testing.MotoServer;
import io.cartola.testing.S3Objects;

/**
 * The whole asynchronous round trip through the packaged build, run as Lambda runs it: fetch and
 * webhook as separate processes polling Runtime APIs, Khipu's stand-in calling the webhook's
 * Function URL back, results in S3 (moto).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LambdaRoundTripIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String A = Accounts.fresh();
    static final String B = Accounts.fresh();
    static DemoKhipu khipu;
    static LocalCartola cartola;
    static final S3Objects s3 = new S3Objects();

    @BeforeAll
    static void deploy() throws Exception {
        khipu = new DemoKhipu();
        Path logs = Files.createDirectories(Path.of("target", "it-logs", "round-trip"));
        Map<String, String> env = S3Resource.environment(MotoServer.get().endpoint().toString());
        env.put("CARTOLA_KHIPU_URL", khipu.baseUrl());
        env.put("CARTOLA_KHIPU_API_KEY", "it-api-key-not-a-secret");
        env.put("CARTOLA_CALLBACK_SECRET", "it-callback-secret-0123456789-0123456789");
        env.put("CARTOLA_ACCOUNTS", A + "," + B);
        env.put("CARTOLA_CALLBACK_DEADLINE", "PT2S");
        cartola = LocalCartola.start(FunctionProcess.Launcher.fromSystemProperties(), env, logs);
    }

    @AfterAll
    static void undeploy() {
        if (cartola != null) {
            cartola.close();
        }
        if (khipu != null) {
            khipu.close();
        }
    }

    static String day() {
        return LocalDate.now(ZoneId.of("America/Santiago")).toString();
    }

    static List<String> viewLines(String account) {
        return s3.view(account, day())
                .map(t -> t.lines().toList()).orElse(List.of());
    }

    JsonNode fetch(String event) throws Exception {
        RuntimeApi.Result result = cartola.invokeFetch(event, Duration.ofMinutes(2));
        assertFalse(result.error(), result.body());
        return JSON.readTree(result.body());
    }

    @Test
    @Order(1)
    void aScheduledFetchIsCalledBackAndStoredInTheView() throws Exception {
        JsonNode answer = fetch("{}");

        assertEquals(2, answer.get("accepted").asInt(), answer.toString());
        List<DemoKhipu.Delivery> deliveries = khipu.awaitDeliveries(2, Duration.ofMinutes(1));
        assertEquals(2, deliveries.size());
        deliveries.forEach(d -> assertEquals(200, d.status(), d.body()));
        for (String account : List.of(A, B)) {
            assertEquals(3, viewLines(account).size(), account);
            assertEquals(1, s3.keys("raw/btgpactual.cl/account=" + account + "/").size());
        }
        List<String> accounts = List.of(A, B);
        for (int i = 0; i < 2; i++) {
            JsonNode entry = answer.get("accounts").get(i);
            JsonNode raw = JSON.readTree(s3.raw(accounts.get(i), day(), entry.get("requestId").asText()).orElseThrow());
            assertEquals(entry.get("operationId").asText(), raw.get("OperationId").asText(), "the callback, stored under its request");
        }
    }

    @Test
    @Order(2)
    void theNextSnapshotOfTheDayUpdatesWithoutDuplicates() throws Exception {
        fetch("{\"accounts\":[\"" + A + "\"],\"mode\":\"async\"}");

        assertEquals(3, khipu.awaitDeliveries(3, Duration.ofMinutes(1)).size());
        assertEquals(2, s3.keys("raw/btgpactual.cl/account=" + A + "/").size(), "both snapshots kept raw");
        List<String> lines = viewLines(A);
        assertEquals(3, lines.size(), "the same transactions, not duplicated");
        assertEquals(3, lines.stream().map(l -> l.replaceAll(".*\"TransactionId\":\"([^\"]+)\".*", "$1")).distinct().count());
    }

    @Test
    @Order(3)
    void aSynchronousFetchStoresFromTheResponse() throws Exception {
        String account = Accounts.fresh();
        JsonNode answer = fetch("{\"accounts\":[\"" + account + "\"],\"mode\":\"sync\"}");

        assertEquals("STORED", answer.at("/accounts/0/outcome").asText());
        assertEquals(3, viewLines(account).size());
    }

    @Test
    @Order(4)
    void aForgedCallbackToTheFunctionUrlGets401AndStoresNothing() throws Exception {
        String account = Accounts.fresh();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(cartola.webhookUrl() + "?t=AAAAAAAAAAAAAAAAAAAAAA." + System.currentTimeMillis() + ".AAAAAAAAAAAAAAAAAA." + "A".repeat(43)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(DemoKhipu.envelope("op-forged", account, LocalDate.now())))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(401, response.statusCode());
        assertTrue(response.body().contains("signature invalid"), response.body());
        assertTrue(s3.keys("raw/btgpactual.cl/account=" + account).isEmpty());
    }

    @Test
    @Order(5)
    void eachRunAndEachCallbackEmitsEmbeddedMetricFormat() throws Exception {
        List<JsonNode> fetchMetrics = metrics(cartola.fetchProcess());
        List<JsonNode> webhookMetrics = metrics(cartola.webhookProcess());

        assertEquals(3, fetchMetrics.size(), "one document per fetch run");
        JsonNode first = fetchMetrics.get(0);
        assertEquals("cartola", first.at("/_aws/CloudWatchMetrics/0/Namespace").asText());
        assertEquals("btgpactual.cl", first.get("Institution").asText());
        assertEquals(2, first.get("AccountsAccepted").asInt());
        assertEquals(0, first.get("AccountsFailed").asInt());
        assertTrue(first.has("OldestDataAgeHours"));
        List<String> names = new java.util.ArrayList<>();
        first.at("/_aws/CloudWatchMetrics/0/Metrics").forEach(m -> names.add(m.get("Name").asText()));
        assertTrue(names.containsAll(List.of("AccountsRequested", "AccountsAccepted", "AccountsStored", "AccountsFailed",
                "AccountsSkipped", "AccountsLost", "AccountsRefused", "AccountsNotReached", "AccountsUnauthorised", "OldestDataAgeHours")),
                names.toString());
        assertEquals(1, fetchMetrics.get(2).get("AccountsStored").asInt());
        assertEquals(3, webhookMetrics.stream().filter(m -> m.has("CallbacksStored")).count());
        assertEquals(1, webhookMetrics.stream().filter(m -> m.has("CallbacksRejected")).count(), "the forged one");
    }

    /** The Embedded Metric Format documents a function wrote to its standard output. */
    static List<JsonNode> metrics(FunctionProcess process) throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(process.log())) {
            if (line.startsWith("{\"_aws\"")) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    @Test
    @Order(6)
    void neitherLogHoldsTheSecretsOrAFullAccountNumber() throws Exception {
        for (FunctionProcess process : List.of(cartola.fetchProcess(), cartola.webhookProcess())) {
            String log = Files.readString(process.log());
            for (String secret : List.of("it-api-key-not-a-secret", "it-callback-secret-0123456789-0123456789", A, B)) {
                assertFalse(log.contains(secret), process.log() + " contains " + secret.substring(0, 4) + "...");
            }
            assertTrue(log.contains("****" + A.substring(8)) || log.contains("****" + B.substring(8)), "masked accounts are logged");
        }
    }

    @Test
    @Order(7)
    void aLostCallbackIsRecoveredSynchronouslyAndTheLateOneMerges() throws Exception {
        String account = Accounts.fresh();
        khipu.withholdNextCallback(account);
        int delivered = khipu.awaitDeliveries(0, Duration.ZERO).size();

        JsonNode first = fetch("{\"accounts\":[\"" + account + "\"],\"mode\":\"async\"}");
        assertEquals("ACCEPTED", first.at("/accounts/0/outcome").asText());
        Thread.sleep(2500);
        JsonNode second = fetch("{\"accounts\":[\"" + account + "\"],\"mode\":\"async\"}");

        assertEquals("STORED", second.at("/accounts/0/outcome").asText(), second.toString());
        assertEquals("sync", second.at("/accounts/0/mode").asText());
        assertEquals(1, second.get("lost").asInt());
        String requestId = first.at("/accounts/0/requestId").asText();
        assertEquals("LOST", JSON.readTree(s3.only("operations/btgpactual.cl/date=" + day() + "/" + requestId + ".lost")).get("state").asText());
        assertEquals(3, viewLines(account).size());

        assertEquals(1, khipu.releaseWithheld());
        List<DemoKhipu.Delivery> deliveries = khipu.awaitDeliveries(delivered + 1, Duration.ofMinutes(1));
        DemoKhipu.Delivery late = deliveries.get(deliveries.size() - 1);
        assertEquals(200, late.status(), late.body());
        assertTrue(late.body().contains("stored 3 transactions"), late.body());
        assertEquals(3, viewLines(account).size(), "the late callback merged, nothing doubled");
        assertEquals(2, s3.keys("raw/btgpactual.cl/account=" + account + "/").size(), "both snapshots kept raw");
    }
}
