package io.cartola.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;


import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cartola.callback.CallbackToken;
import io.cartola.testing.Accounts;
import io.cartola.testing.Envelopes;
import io.cartola.testing.FunctionUrlEvent;
import io.cartola.testing.Lambda;
import io.cartola.testing.Mappers;
import io.cartola.testing.MotoServer;
import io.cartola.testing.Tokens;
import io.cartola.testing.S3Objects;
import io.cartola.testing.WebhookProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** The webhook function invoked with Function URL events, as Lambda invokes it, storing to S3 (moto). */
@QuarkusTest
@TestProfile(WebhookProfile.class)
public class WebhookFunctionTest {

    static final ObjectMapper JSON = Mappers.exactDecimals();

    final CallbackToken tokens = Tokens.signer();

    final S3Objects s3 = new S3Objects();

    static String today(Instant at) {
        return LocalDate.ofInstant(at, ZoneId.of("America/Santiago")).toString();
    }

    /** Sends the event; returns the HTTP response the Function URL would give Khipu. */
    static JsonPath deliver(String event) {
        return Lambda.invoke(event).then().statusCode(200).extract().jsonPath();
    }

    /** The token of a request fetch recorded for {@code account} at {@code issuedAt}. */
    static String token(String account, Instant issuedAt) {
        return Tokens.requested(account, issuedAt);
    }

    List<String> everythingFor(String account) {
        return s3.keys("").stream().filter(k -> k.contains(account) || k.startsWith("operations/")).toList();
    }

    Map<String, JsonNode> view(String account, Instant day) throws Exception {
        String text = s3.view(account, today(day)).orElseThrow();
        return text.lines().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).collect(Collectors.toMap(n -> n.get("TransactionId").asText(), Function.identity()));
    }

    @Test
    void aLaterCallbackWithoutATransactionMarksItRemovedAndSaysSo() throws Exception {
        String account = Accounts.fresh();
        Instant first = Instant.now().minusSeconds(120);
        Instant second = first.plusSeconds(60);
        deliver(FunctionUrlEvent.post(token(account, first), Envelopes.ok("op-day-1", Envelopes.transactions(3, "d"))));
        String partial = Envelopes.ok("op-day-p", Envelopes.transactions(1, "d")).replace("\"AdditionalInformation\":null",
                "\"AdditionalInformation\":\"Data is incomplete\"");
        JsonPath partialReply = deliver(FunctionUrlEvent.post(token(account, first.plusSeconds(30)), partial));
        assertTrue(partialReply.getString("body").contains("removed 0; partial snapshot"), partialReply.getString("body"));

        JsonPath reply = deliver(FunctionUrlEvent.post(token(account, second), Envelopes.ok("op-day-2", Envelopes.transactions(2, "d"))));

        assertEquals(200, reply.getInt("statusCode"));
        assertTrue(reply.getString("body").contains("stored 2 transactions of operation op-day-2 (added 0, changed 0, removed 1)"),
                reply.getString("body"));
        Map<String, JsonNode> lines = view(account, first);
        assertEquals(3, lines.size(), "the line that left the day is kept");
        assertEquals(Instant.ofEpochMilli(second.toEpochMilli()).toString(), lines.get("d2").get("RemovedAt").asText());
        assertTrue(lines.get("d0").get("RemovedAt").isNull());
        assertEquals(account, lines.get("d0").get("AccountNumber").asText());
    }

    @Test
    void aValidCallbackIsStoredRawInTheViewAndRecorded() throws Exception {
        String account = Accounts.fresh();
        Instant issued = Instant.now().minusSeconds(30);
        String token = token(account, issued);
        String nonce = token.split("\\.")[0];
        assertFalse(token.contains(account), "no account number in the token");
        String envelope = Envelopes.ok("op-cb-1", Envelopes.transactions(3, "c"));

        JsonPath response = deliver(FunctionUrlEvent.post(token, envelope));

        assertEquals(200, response.getInt("statusCode"));
        assertEquals("application/json", response.getString("headers.content-type"));
        assertTrue(response.getString("body").contains("stored 3 transactions"), response.getString("body"));
        assertEquals(envelope, s3.raw(account, today(issued), nonce).orElseThrow(), "stored under the request's id");
        assertEquals(3, view(account, issued).size());
        assertEquals(issued.toEpochMilli(), Instant.parse(view(account, issued).get("c1").get("SnapshotTime").asText()).toEpochMilli());
        assertEquals(List.of("raw/btgpactual.cl/account=" + account + "/date=" + today(issued) + "/"
                + new io.cartola.records.AccountRequest("btgpactual.cl", account, nonce, Instant.ofEpochMilli(issued.toEpochMilli()),
                        java.time.LocalDate.parse(today(issued)), io.cartola.records.Mode.async).rawKey().replaceAll(".*/", ""),
                "view/btgpactual.cl/date=" + today(issued) + "/account=" + account + ".jsonl"),
                everythingFor(account).stream().filter(k -> !k.startsWith("operations/") || k.contains(nonce))
                        .filter(k -> !k.startsWith("days/")).sorted().toList(),
                "the raw answer (which also consumes the token) and the view; the state takes it in at the next run");
        assertEquals(List.of("days/btgpactual.cl/date=" + today(issued) + "/account=" + account + ".json"),
                s3.keys("days/").stream().filter(k -> k.contains(account)).toList(), "and the day's record, at its first snapshot");
    }

    @Test
    void aCallbackWhoseBalancesDoNotAddUpSaysSoAndRecordsTheGap() throws Exception {
        String account = Accounts.fresh();
        Instant issued = Instant.now().minusSeconds(30);
        String day = today(issued);
        String a = Envelopes.booked("a", "Credit", "1000", day + "T00:01:00-03:00", "11000");
        // a debit of 5000 was booked between a and c, and this answer lacks it
        String c = Envelopes.booked("c", "Debit", "300", day + "T00:03:00-03:00", "5700");

        JsonPath reply = deliver(FunctionUrlEvent.post(token(account, issued), Envelopes.ok("op-gap-1", a, c)));

        assertEquals(200, reply.getInt("statusCode"));
        assertTrue(reply.getString("body").contains("the day does not reconcile with the bank's balances: balance gap -5000 "
                + "between id:a and id:c"), reply.getString("body"));
        assertFalse(reply.getString("body").contains(account), "no account number in the answer");
        JsonNode record = JSON.readTree(s3.text("days/btgpactual.cl/date=" + day + "/account=" + account + ".json").orElseThrow());
        assertEquals("gap", record.get("reconciliation").asText());
        assertEquals("-5000", record.get("gapAmount").asText());
        assertEquals("id:a", record.at("/gaps/0/after").asText());
        assertEquals("id:c", record.at("/gaps/0/before").asText());
        assertEquals(account, record.get("account").asText());
        assertEquals(1, record.get("snapshots").asInt());
    }

    @Test
    void theFunctionUrlEventAsAwsDocumentsItIsUnderstood() throws Exception {
        String account = Accounts.fresh();
        String token = token(account, Instant.now());
        com.fasterxml.jackson.databind.node.ObjectNode event = (com.fasterxml.jackson.databind.node.ObjectNode) JSON
                .readTree(io.cartola.testing.Events.load(io.cartola.testing.Events.API_GATEWAY_HTTP));
        // AWS's example, as Khipu would call: its token in the query, its envelope as the body
        event.put("rawQueryString", "t=" + token);
        event.putObject("queryStringParameters").put("t", token);
        event.put("body", Envelopes.ok("op-aws-doc", Envelopes.transactions(2, "doc")));

        JsonPath response = deliver(JSON.writeValueAsString(event));

        assertEquals(200, response.getInt("statusCode"), response.getString("body"));
        assertEquals("stored 2 transactions of operation op-aws-doc (added 2, changed 0, removed 0)", JSON.readTree(response.getString("body")).get("message").asText());
        assertEquals(2, view(account, Instant.now()).size());
    }

    @Test
    void aBase64EncodedBodyIsDecoded() throws Exception {
        String account = Accounts.fresh();
        Instant issued = Instant.now();
        String envelope = Envelopes.ok("op-b64", Envelopes.transaction("b-1", "\"0.01\"", "café ñandú"));

        JsonPath response = deliver(FunctionUrlEvent.postBase64(token(account, issued), envelope.getBytes(StandardCharsets.UTF_8)));

        assertEquals(200, response.getInt("statusCode"));
        JsonNode line = view(account, issued).get("b-1");
        assertEquals("café ñandú", line.get("TransactionInformation").asText());
        assertEquals("0.01", line.get("Amount").get("Amount").asText());
    }

    @Test
    void aLaterSnapshotUpdatesTheViewWithoutDuplicatesAndAnOlderOneChangesNothing() throws Exception {
        String account = Accounts.fresh();
        Instant morning = Instant.now().minus(Duration.ofMinutes(50));
        Instant noon = Instant.now().minus(Duration.ofMinutes(20));
        Instant later = Instant.now().minus(Duration.ofMinutes(10));
        deliver(FunctionUrlEvent.post(token(account, morning), Envelopes.ok("op-s1",
                Envelopes.transaction("t-1", "\"100\"", "pending"), Envelopes.transaction("t-2", "\"200\"", "two"))));
        // the next snapshot of the day: t-1 changed, t-2 the same, t-3 new
        deliver(FunctionUrlEvent.post(token(account, later), Envelopes.ok("op-s3",
                Envelopes.transaction("t-1", "\"150\"", "booked"), Envelopes.transaction("t-2", "\"200\"", "two"),
                Envelopes.transaction("t-3", "\"300\"", "three"))));
        // a snapshot taken in between, delivered late
        deliver(FunctionUrlEvent.post(token(account, noon), Envelopes.ok("op-s2",
                Envelopes.transaction("t-1", "\"120\"", "stale"))));

        Map<String, JsonNode> view = view(account, later);
        assertEquals(List.of("t-1", "t-2", "t-3"), view.keySet().stream().sorted().toList());
        assertEquals("150", view.get("t-1").get("Amount").get("Amount").asText());
        assertEquals("booked", view.get("t-1").get("TransactionInformation").asText());
        assertEquals("op-s3", view.get("t-1").get("OperationId").asText());
        assertEquals(3, s3.keys("raw/btgpactual.cl/account=" + account).size(), "every snapshot kept raw");
    }

    @Test
    void aDuplicateDeliveryAnswers200AndStoresNothingNew() throws Exception {
        String account = Accounts.fresh();
        String event = FunctionUrlEvent.post(token(account, Instant.now()), Envelopes.ok("op-dup", Envelopes.transactions(2, "d")));
        deliver(event);
        List<String> before = everythingFor(account);
        String viewBefore = s3.view(account, today(Instant.now())).orElseThrow();

        JsonPath again = deliver(event);

        assertEquals(200, again.getInt("statusCode"));
        assertTrue(again.getString("body").contains("duplicate"), again.getString("body"));
        assertEquals(before, everythingFor(account));
        assertEquals(viewBefore, s3.view(account, today(Instant.now())).orElseThrow());
    }

    @Test
    void aTokenReplayedForAnotherOperationIsRejected() {
        String account = Accounts.fresh();
        String token = token(account, Instant.now());
        deliver(FunctionUrlEvent.post(token, Envelopes.ok("op-first", Envelopes.transactions(1, "f"))));

        JsonPath replay = deliver(FunctionUrlEvent.post(token, Envelopes.ok("op-forged", Envelopes.transactions(5, "x"))));

        assertEquals(401, replay.getInt("statusCode"));
        assertTrue(replay.getString("body").contains("already used"));
        assertTrue(s3.keys("raw/btgpactual.cl/account=" + account).stream().noneMatch(k -> k.contains("op-forged")));
    }

    @Test
    void missingForgedAndExpiredTokensGet401AndStoreNothing() {
        String account = Accounts.fresh();
        String body = Envelopes.ok("op-unauth", Envelopes.transactions(1, "u"));
        String genuine = token(account, Instant.now());
        String forged = genuine.substring(0, genuine.length() - 2) + (genuine.endsWith("AA") ? "BB" : "AA");
        String other = token(Accounts.fresh(), Instant.now());
        String otherRequest = other.split("\\.")[0] + genuine.substring(genuine.indexOf('.'));
        String expired = token(account, Instant.now().minus(Duration.ofHours(25)));
        String future = token(account, Instant.now().plus(Duration.ofHours(1)));

        Map<String, String> cases = Map.of(
                "missing", FunctionUrlEvent.post(null, body),
                "signature invalid", FunctionUrlEvent.post(forged, body),
                "signature invalid ", FunctionUrlEvent.post(otherRequest, body),
                "expired", FunctionUrlEvent.post(expired, body),
                "future", FunctionUrlEvent.post(future, body),
                "malformed", FunctionUrlEvent.post("not-a-token", body));
        cases.forEach((reason, event) -> {
            JsonPath response = deliver(event);
            assertEquals(401, response.getInt("statusCode"), reason);
            assertTrue(response.getString("body").contains(reason.trim()), reason + ": " + response.getString("body"));
        });
        assertTrue(s3.keys("raw/btgpactual.cl/account=" + account).isEmpty());
        assertTrue(s3.viewKeys(account).isEmpty());
    }

    @Test
    void theSameOperationWithAnotherBodyIsRefusedAfterTheFirstIsClaimed() {
        String account = Accounts.fresh();
        String token = token(account, Instant.now());
        String genuine = Envelopes.ok("op-body", Envelopes.transactions(2, "g"));
        deliver(FunctionUrlEvent.post(token, genuine));

        JsonPath other = deliver(FunctionUrlEvent.post(token, Envelopes.ok("op-body", Envelopes.transactions(5, "x"))));

        assertEquals(409, other.getInt("statusCode"));
        assertTrue(other.getString("body").contains("different body"), other.getString("body"));
        assertTrue(deliver(FunctionUrlEvent.post(token, genuine)).getString("body").contains("duplicate"));
        assertEquals(2, s3.view(account, today(Instant.now()))
                .orElseThrow().lines().count());
    }

    @Test
    void badBodiesGet4xxNamingTheProblemAndStoreNothing() {
        String account = Accounts.fresh();
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"OperationId\": \"x\", ", "body: not valid JSON");
        cases.put("[1,2,3]", "body: expected a Khipu envelope");
        cases.put("{\"Status\":\"OK\",\"Data\":{\"Transaction\":[]}}", "OperationId: required");
        cases.put("{\"OperationId\":\"op\",\"Status\":\"MAYBE\"}", "Status: must be OK or ERROR");
        cases.put(Envelopes.ok("op", Envelopes.transaction("a", "\"12,50\"", "comma")), "Data.Transaction[0].Amount.Amount");
        cases.put(Envelopes.ok("op", Envelopes.transaction("a", "\"12345678901234.5\"", "huge")), "Data.Transaction[0].Amount.Amount: at most 13 integer");
        cases.put(Envelopes.ok("op", Envelopes.transaction("a", "{\"x\":1}", "object")), "Data.Transaction[0].Amount.Amount");
        cases.put(Envelopes.ok("op", Envelopes.transaction("a", "1", "d").replace("2017-07-22T00:00:00-0400", "ayer")), "Data.Transaction[0].BookingDateTime");
        cases.put(Envelopes.ok("op", "\"not a transaction\""), "Data.Transaction[0]");
        cases.put("{\"OperationId\":\"" + "x".repeat(37) + "\",\"Status\":\"OK\"}", "OperationId: at most 36");
        cases.forEach((body, message) -> {
            JsonPath response = deliver(FunctionUrlEvent.post(token(account, Instant.now()), body));
            assertEquals(400, response.getInt("statusCode"), body);
            assertTrue(response.getString("body").contains(message), message + " vs " + response.getString("body"));
        });

        JsonPath badBase64 = deliver(FunctionUrlEvent.of("POST", token(account, Instant.now()), "%%%not base64%%%", true));
        assertEquals(400, badBase64.getInt("statusCode"));
        assertTrue(badBase64.getString("body").contains("not valid base64"));

        JsonPath get = deliver(FunctionUrlEvent.of("GET", token(account, Instant.now()), null, false));
        assertEquals(405, get.getInt("statusCode"));

        JsonPath empty = deliver(FunctionUrlEvent.post(token(account, Instant.now()), ""));
        assertEquals(400, empty.getInt("statusCode"));

        String huge = Envelopes.ok("op-huge", Envelopes.transaction("h", "1", "x".repeat(7 * 1024 * 1024)));
        JsonPath tooBig = deliver(FunctionUrlEvent.post(token(account, Instant.now()), huge));
        assertEquals(413, tooBig.getInt("statusCode"));
        assertTrue(tooBig.getString("body").contains("limit"));

        assertTrue(s3.keys("raw/btgpactual.cl/account=" + account).isEmpty());
        assertTrue(s3.viewKeys(account).isEmpty());
    }

    @Test
    void anErrorResultIsStoredAndRecorded() throws Exception {
        String account = Accounts.fresh();
        Instant issued = Instant.now();
        String token = token(account, issued);

        JsonPath response = deliver(FunctionUrlEvent.post(token, Envelopes.error("op-err", "E201", "WAIT_4_HOURS_BEFORE_RETRY", "Banco no disponible")));

        assertEquals(200, response.getInt("statusCode"));
        JsonNode record = JSON.readTree(s3.only("operations/btgpactual.cl/date=" + today(issued) + "/" + token.split("\\.")[0] + ".result"));
        assertEquals("FAILED", record.get("state").asText());
        assertEquals("E201", record.at("/error/code").asText());
        assertEquals("WAIT_4_HOURS_BEFORE_RETRY", record.at("/error/type").asText());
        assertTrue(s3.viewKeys(account).isEmpty());
    }
}
