package io.cartola.function;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.cartola.testing.KhipuStandIn.json;
import static io.cartola.testing.KhipuStandIn.request;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.cartola.testing.Accounts;
import io.cartola.testing.Envelopes;
import io.cartola.testing.FetchProfile;
import io.cartola.testing.KhipuStandIn;
import io.cartola.testing.Lambda;
import io.cartola.testing.Mappers;
import io.cartola.testing.S3Objects;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** The fetch function invoked as Lambda invokes it, against WireMock (Khipu) and moto (S3). */
@QuarkusTest
@TestProfile(FetchProfile.class)
public class FetchFunctionTest {

    static final ObjectMapper JSON = Mappers.exactDecimals();
    final KhipuStandIn khipu = KhipuStandIn.get();
    final S3Objects s3 = new S3Objects();

    static String today() {
        return LocalDate.now(ZoneId.of("America/Santiago")).toString();
    }

    static String schedulerInput(String mode, String... accounts) {
        return "{\"accounts\":[" + String.join(",", List.of(accounts).stream().map(a -> "\"" + a + "\"").toList())
                + "],\"mode\":\"" + mode + "\"}";
    }

    JsonPath fetch(String event) {
        return Lambda.invoke(event).then().statusCode(200).extract().jsonPath();
    }

    /** The failure record stored for the i-th account of a fetch's answer. */
    JsonNode record(JsonPath result, int i) throws Exception {
        return JSON.readTree(s3.only("operations/btgpactual.cl/date=" + today() + "/"
                + result.getString("accounts[" + i + "].requestId") + ".result"));
    }

    /** Khipu's answer as stored for the i-th account of a fetch's answer (under the request's id). */
    JsonNode raw(JsonPath result, int i, String account) throws Exception {
        return JSON.readTree(s3.raw(account, today(), result.getString("accounts[" + i + "].requestId")).orElseThrow());
    }

    @Test
    void syncFetchOfOneAccountStoresRawViewAndRecord() throws Exception {
        String account = Accounts.fresh();
        String envelope = Envelopes.ok("op-sync-1", Envelopes.transaction("tx-1", "\"1234.50\"", "pago 1"),
                Envelopes.transaction("tx-2", "990", "pago 2"));
        khipu.answer(account, envelope);

        JsonPath result = fetch(schedulerInput("sync", account));

        assertEquals("sync", result.getString("mode"));
        assertEquals(1, result.getInt("stored"));
        assertEquals("****" + account.substring(8), result.getString("accounts[0].account"));
        assertEquals("STORED", result.getString("accounts[0].outcome"));
        assertEquals("op-sync-1", result.getString("accounts[0].operationId"));
        assertEquals(2, result.getInt("accounts[0].transactions"));
        String second = Lambda.invoke(schedulerInput("sync", account)).asString();
        assertFalse(second.contains(account), "full account in output");

        String requestId = result.getString("accounts[0].requestId");
        assertEquals(envelope, s3.raw(account, today(), requestId).orElseThrow(), "raw bytes as sent");
        List<String> lines = s3.view(account, today()).orElseThrow().lines().toList();
        assertEquals(2, lines.size());
        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals("tx-1", first.get("TransactionId").asText());
        assertEquals("1234.50", first.get("Amount").get("Amount").asText());
        assertEquals("2017-07-22T00:00:00-04:00", first.get("BookingDateTime").asText());
        assertEquals("op-sync-1", first.get("OperationId").asText());
        assertEquals("990", JSON.readTree(lines.get(1)).get("Amount").get("Amount").asText());

        assertTrue(s3.keys("operations/btgpactual.cl/date=" + today() + "/" + requestId).isEmpty(),
                "an answer with data is recorded by raw, view and state: no record of its own");
        JsonNode state = JSON.readTree(s3.text("state/btgpactual.cl/account=" + account + ".json").orElseThrow());
        assertEquals(1, state.get("pending").size(), state.toString());
        assertEquals(JSON.readTree(second).at("/accounts/0/requestId").asText(), state.at("/pending/0/requestId").asText(),
                "only the second run's request waits to be taken in: the second run took in the first one's answer");
        assertTrue(state.get("lastStoredAt").isTextual(), state.toString());

        LoggedRequest sent = khipu.requests(account).get(0);
        assertEquals(FetchProfile.API_KEY, sent.getHeader("x-api-key"));
        assertFalse(sent.containsHeader("Authorization"), "never both credentials");
        JsonNode body = JSON.readTree(sent.getBodyAsString());
        assertEquals(account, body.at("/RequestData/AccountNumber").asText());
        assertTrue(body.path("CallbackUrl").isMissingNode(), "sync sends no CallbackUrl");
    }

    @Test
    void aSyncAnswerWhoseBalancesDoNotAddUpIsAGapInTheAnswerAndTheDaysRecord() throws Exception {
        String account = Accounts.fresh();
        String a = Envelopes.booked("a", "Credit", "1000", today() + "T00:01:00-03:00", "11000");
        String c = Envelopes.booked("c", "Debit", "300", today() + "T00:03:00-03:00", "5700");
        khipu.answer(account, Envelopes.ok("op-gap-sync", a, c));

        JsonPath result = fetch(schedulerInput("sync", account));

        assertEquals("STORED", result.getString("accounts[0].outcome"));
        assertEquals(1, result.getInt("accounts[0].view.balanceGaps"));
        assertEquals("balance gap -5000 between id:a and id:c", result.getString("accounts[0].view.gap"));
        assertEquals(1, result.getInt("view.balanceGaps"), "the run's count");
        assertEquals("****" + account.substring(8), result.getString("accounts[0].account"), "masked");
        JsonNode day = JSON.readTree(s3.text("days/btgpactual.cl/date=" + today() + "/account=" + account + ".json").orElseThrow());
        assertEquals("gap", day.get("reconciliation").asText());
        assertEquals("-5000", day.get("gapAmount").asText());
        assertEquals(List.of("10000", "5700"), List.of(day.get("openingBalance").asText(), day.get("closingBalance").asText()));
    }

    @Test
    void syncFetchOfSeveralAccountsStoresEachAndKeepsOrder() {
        List<String> accounts = List.of(Accounts.fresh(), Accounts.fresh(), Accounts.fresh());
        for (int i = 0; i < accounts.size(); i++) {
            khipu.answer(accounts.get(i), Envelopes.ok("op-many-" + i, Envelopes.transactions(i + 1, "m" + i + "-")));
        }

        JsonPath result = fetch(schedulerInput("sync", accounts.toArray(String[]::new)));

        assertEquals(3, result.getInt("stored"));
        for (int i = 0; i < accounts.size(); i++) {
            assertEquals("op-many-" + i, result.getString("accounts[" + i + "].operationId"));
            assertEquals(i + 1, result.getInt("accounts[" + i + "].transactions"));
            String view = s3.view(accounts.get(i), today())
                    .orElseThrow();
            assertEquals(i + 1, view.lines().count());
        }
    }

    @Test
    void asyncFetchSendsASignedCallbackUrlAndRecordsTheAcceptedOperation() throws Exception {
        String account = Accounts.fresh();
        khipu.accept(account, "op-async-1");

        JsonPath result = fetch(schedulerInput("async", account));

        assertEquals("ACCEPTED", result.getString("accounts[0].outcome"));
        assertEquals("op-async-1", result.getString("accounts[0].operationId"));
        String callbackUrl = JSON.readTree(khipu.requests(account).get(0).getBodyAsString()).get("CallbackUrl").asText();
        String requestId = result.getString("accounts[0].requestId");
        assertTrue(callbackUrl.startsWith("https://webhook.example.test/?t=" + requestId + "."), callbackUrl);
        assertFalse(callbackUrl.contains(account) || callbackUrl.contains(account.substring(4)), "no account number in the URL");
        assertTrue(callbackUrl.length() <= 255);
        String token = callbackUrl.substring(callbackUrl.indexOf("t=") + 2);
        assertEquals(account, io.cartola.testing.Tokens.signer().verify(token).account(), "the webhook reads the account from the token");
        JsonNode state = JSON.readTree(s3.text("state/btgpactual.cl/account=" + account + ".json").orElseThrow());
        assertEquals(requestId, state.at("/pending/0/requestId").asText());
        assertEquals("async", state.at("/pending/0/mode").asText());
        assertTrue(s3.keys("operations/btgpactual.cl/date=" + today() + "/" + requestId).isEmpty(), "a 202 writes nothing");
        assertTrue(s3.keys("raw/btgpactual.cl/account=" + account).isEmpty(), "nothing to store until the callback");
    }

    @Test
    void anEmptyEventFetchesTheConfiguredAccountsAsynchronously() {
        khipu.accept("000011887755", "op-default-1");
        khipu.accept("000022334455", "op-default-2");

        JsonPath result = fetch("{}");

        assertEquals("async", result.getString("mode"));
        assertEquals(2, result.getInt("accepted"));
        assertEquals(List.of("****7755", "****4455"), result.getList("accounts.account"));
    }

    @Test
    void statusErrorIsRecordedAndRetriedOnlyAsItsTypeAllows() throws Exception {
        String doNotRetry = Accounts.fresh();
        String wait = Accounts.fresh();
        String unknown = Accounts.fresh();
        khipu.answer(doNotRetry, Envelopes.error("op-e1", "E401", "DO_NOT_RETRY", "Cuenta no existe"));
        khipu.answer(wait, Envelopes.error("op-e2", "E201", "WAIT_4_HOURS_BEFORE_RETRY", "Banco no disponible"));
        khipu.answer(unknown, Envelopes.error("op-e3", "F000", "SOMETHING_NEW", "?"));

        JsonPath result = fetch(schedulerInput("sync", doNotRetry, wait, unknown));

        assertEquals(3, result.getInt("failed"));
        assertEquals(List.of("E401", "E201", "F000"), result.getList("accounts.errorCode"));
        assertEquals(List.of("DO_NOT_RETRY", "WAIT_4_HOURS_BEFORE_RETRY", "SOMETHING_NEW"), result.getList("accounts.errorType"));
        for (String account : List.of(doNotRetry, wait, unknown)) {
            assertEquals(1, khipu.requests(account).size(), "not retried");
        }
        assertEquals("DO_NOT_RETRY", record(result, 0).at("/error/type").asText());
        assertEquals("SOMETHING_NEW", record(result, 2).at("/error/type").asText());
        assertTrue(record(result, 0).at("/error/retryNotBefore").isMissingNode());
        JsonNode waitRecord = record(result, 1);
        assertEquals("FAILED", waitRecord.get("state").asText());
        assertEquals("Banco no disponible", waitRecord.at("/error/description").asText());
        assertTrue(waitRecord.at("/error/retryNotBefore").isTextual());
        assertEquals("op-e2", raw(result, 1, wait).get("OperationId").asText(), "the error answer is kept as sent");
        assertTrue(s3.viewKeys(wait).isEmpty(), "no view for an error");
    }

    @Test
    void anErrorWithoutACodeIsAFailureNotData() throws Exception {
        String noCode = "{\"OperationId\":\"op-nc\",\"Status\":\"ERROR\",\"Data\":null,"
                + "\"Error\":{\"Type\":\"WAIT_4_HOURS_BEFORE_RETRY\",\"Description\":\"wait\"}}";
        String sync = Accounts.fresh();
        String async = Accounts.fresh();
        khipu.answer(sync, noCode);
        khipu.accept(async, "op-nc-async");

        JsonPath first = fetch(schedulerInput("sync", sync));
        assertEquals("FAILED", first.getString("accounts[0].outcome"));
        assertEquals("NO_CODE", first.getString("accounts[0].errorCode"));
        assertEquals("NO_CODE", record(first, 0).at("/error/code").asText());
        JsonPath accepted = fetch(schedulerInput("async", async));
        // the callback's answer, stored as the webhook stores it: the exact bytes under the request's id
        JsonNode pending = JSON.readTree(s3.text("state/btgpactual.cl/account=" + async + ".json").orElseThrow()).at("/pending/0");
        String rawKey = new io.cartola.records.AccountRequest("btgpactual.cl", async, accepted.getString("accounts[0].requestId"),
                java.time.Instant.parse(pending.get("requestedAt").asText()), java.time.LocalDate.parse(today()),
                io.cartola.records.Mode.async).rawKey();
        S3Objects.client().putObject(b -> b.bucket(io.cartola.testing.MotoServer.BUCKET).key(rawKey),
                software.amazon.awssdk.core.sync.RequestBody.fromString(noCode.replace("op-nc", "op-nc-async")));

        // the next run takes both answers in as failures: Khipu's wait holds, nothing counts as stored data
        JsonPath next = fetch(schedulerInput("sync", sync, async));
        assertEquals(List.of("SKIPPED", "SKIPPED"), next.getList("accounts.outcome"));
        for (String account : List.of(sync, async)) {
            JsonNode state = JSON.readTree(s3.text("state/btgpactual.cl/account=" + account + ".json").orElseThrow());
            assertTrue(state.path("retryNotBefore").isTextual(), state.toString());
            assertEquals(1, state.path("consecutiveFailures").asInt(), state.toString());
            assertEquals("NO_CODE", state.path("lastError").asText(), state.toString());
            assertTrue(state.path("lastStoredAt").isMissingNode(), state.toString());
        }
        assertEquals(1, khipu.requests(sync).size());
        assertEquals(1, khipu.requests(async).size());
    }

    @Test
    void retryImmediatelyIsRetriedUntilKhipuAnswers() throws Exception {
        String account = Accounts.fresh();
        khipu.stub(request(account, false).inScenario(account).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(200, Envelopes.error("op-r1", "T000", "RETRY_IMMEDIATELY", "timeout banco")))
                .willSetStateTo("second"));
        khipu.stub(request(account, false).inScenario(account).whenScenarioStateIs("second")
                .willReturn(json(200, Envelopes.ok("op-r2", Envelopes.transactions(1, "r")))));

        JsonPath result = fetch(schedulerInput("sync", account));

        assertEquals("STORED", result.getString("accounts[0].outcome"));
        assertEquals("op-r2", result.getString("accounts[0].operationId"));
        assertEquals(2, khipu.requests(account).size());
        assertEquals("op-r2", raw(result, 0, account).get("OperationId").asText(), "the answer that came is stored");
    }

    @Test
    void unauthorizedIsAConfigurationErrorAndIsNotRetried() throws Exception {
        String account = Accounts.fresh();
        khipu.stub(request(account, false).willReturn(json(401, "{\"message\":\"invalid api key\"}")));

        JsonPath result = fetch(schedulerInput("sync", account));

        assertEquals("FAILED", result.getString("accounts[0].outcome"));
        assertEquals("HTTP_401", result.getString("accounts[0].errorCode"));
        assertTrue(result.getString("accounts[0].message").contains("cartola.khipu.api-key"));
        assertEquals(1, khipu.requests(account).size());
        assertEquals("FAILED", record(result, 0).get("state").asText());
        assertEquals("HTTP_401", record(result, 0).at("/error/code").asText());
    }

    @Test
    void serverErrorsAreRetriedWithBackoffThenSucceed() throws Exception {
        String account = Accounts.fresh();
        khipu.stub(request(account, false).inScenario(account).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(503, "{}")).willSetStateTo("second"));
        khipu.stub(request(account, false).inScenario(account).whenScenarioStateIs("second")
                .willReturn(json(200, Envelopes.ok("op-503", Envelopes.transactions(2, "s")))));

        JsonPath result = fetch(schedulerInput("sync", account));

        assertEquals("STORED", result.getString("accounts[0].outcome"));
        assertEquals(2, khipu.requests(account).size());
        assertEquals(2, raw(result, 0, account).at("/Data/Transaction").size());
    }

    @Test
    void persistentServerErrorsEndAsARecordedFailureAfterBoundedRetries() throws Exception {
        String account = Accounts.fresh();
        khipu.stub(request(account, false).willReturn(json(500, "{}")));

        JsonPath result = fetch(schedulerInput("sync", account));

        assertEquals("FAILED", result.getString("accounts[0].outcome"));
        assertEquals("HTTP_500", result.getString("accounts[0].errorCode"));
        assertEquals(4, khipu.requests(account).size(), "one attempt and three retries");
        JsonNode record = JSON.readTree(s3.only("operations/btgpactual.cl/date=" + today() + "/"
                + result.getString("accounts[0].requestId") + ".result"));
        assertEquals("HTTP_500", record.at("/error/code").asText());
    }

    @Test
    void tooManyRequestsWaitsAsRetryAfterSays() throws Exception {
        String account = Accounts.fresh();
        khipu.stub(request(account, false).inScenario(account).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(429, "{}").withHeader("Retry-After", "1")).willSetStateTo("second"));
        khipu.stub(request(account, false).inScenario(account).whenScenarioStateIs("second")
                .willReturn(json(200, Envelopes.ok("op-429"))));

        long start = System.nanoTime();
        JsonPath result = fetch(schedulerInput("sync", account));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertEquals("STORED", result.getString("accounts[0].outcome"));
        assertEquals(0, result.getInt("accounts[0].transactions"));
        assertEquals(2, khipu.requests(account).size());
        assertTrue(took.toMillis() >= 900, "waited for Retry-After, took " + took);
        assertEquals("op-429", raw(result, 0, account).get("OperationId").asText());
    }

    @Test
    void timeoutsAndDroppedConnectionsAreRetriedThenRecorded() throws Exception {
        String slow = Accounts.fresh();
        String dropped = Accounts.fresh();
        khipu.stub(request(slow, false).willReturn(json(200, Envelopes.ok("op-slow")).withFixedDelay(1500)));
        khipu.stub(request(dropped, false).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        JsonPath result = fetch(schedulerInput("sync", slow, dropped));

        assertEquals("TIMEOUT", result.getString("accounts[0].errorCode"));
        assertEquals("FAILED", result.getString("accounts[1].outcome"));
        assertEquals(4, khipu.requests(slow).size());
        assertEquals(4, khipu.requests(dropped).size());
        assertEquals("TIMEOUT", record(result, 0).at("/error/code").asText());
        assertEquals("CONNECTION", record(result, 1).at("/error/code").asText());
        assertEquals("FAILED", record(result, 1).get("state").asText());
    }

    @Test
    void oneAccountFailingDoesNotStopTheOthers() {
        String bad = Accounts.fresh();
        String good = Accounts.fresh();
        khipu.stub(request(bad, false).willReturn(json(401, "{}")));
        khipu.answer(good, Envelopes.ok("op-good", Envelopes.transactions(3, "g")));

        JsonPath result = fetch(schedulerInput("sync", bad, good));

        assertEquals(List.of("FAILED", "STORED"), result.getList("accounts.outcome"));
        assertEquals(3, result.getInt("accounts[1].transactions"));
    }

    @Test
    void badInputFailsTheInvocationNamingTheFieldWithoutCallingKhipu() {
        String tooLong = "123456789012345678901";
        Lambda.invoke(schedulerInput("sync", tooLong)).then().statusCode(500)
                .body("errorMessage", containsString("accounts[0]: at most 20 characters"));
        Lambda.invoke(schedulerInput("sync", "000011112222", "")).then().statusCode(500)
                .body("errorMessage", containsString("accounts[1]: account number required"));
        Lambda.invoke(schedulerInput("sync", "../../etc")).then().statusCode(500)
                .body("errorMessage", containsString("accounts[0]: only letters, digits and '-'"));
        Lambda.invoke(schedulerInput("later", "000011112222")).then().statusCode(500)
                .body("errorMessage", containsString("mode: must be \"async\" or \"sync\""));
        Lambda.invoke("{\"acounts\":[\"000011112222\"]}").then().statusCode(500)
                .body("errorMessage", containsString("unknown field \"acounts\""));
        Lambda.invoke("{\"accounts\":\"000011112222\"}").then().statusCode(500)
                .body("errorMessage", containsString("accounts: must be an array"));
        Lambda.invoke("{\"force\":\"yes\"}").then().statusCode(500)
                .body("errorMessage", containsString("force: must be true or false"));
        Lambda.invoke("[\"000011112222\"]").then().statusCode(500)
                .body("errorMessage", containsString("event: a JSON array; fetch accepts"));
        assertEquals(0, khipu.requests(tooLong).size() + khipu.requests("000011112222").size());
    }

    @Test
    void duplicateAccountsInOneInvocationAreFetchedOnce() {
        String account = Accounts.fresh();
        khipu.answer(account, Envelopes.ok("op-dup", Envelopes.transactions(1, "d")));

        JsonPath result = fetch(schedulerInput("sync", account, account));

        assertEquals(1, result.getList("accounts").size());
        assertEquals(1, khipu.requests(account).size());
        assertNull(result.get("accounts[0].errorCode"));
    }
}
