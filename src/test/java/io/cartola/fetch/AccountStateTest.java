package io.cartola.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cartola.callback.CallbackService;
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

/**
 * What each run reads from an account's state before asking Khipu: a WAIT_4_HOURS answer makes the
 * next runs skip the account (unless forced); a callback that does not come by its deadline is
 * recorded lost and the account is asked synchronously until a callback arrives again; the late
 * callback still merges, never duplicates. The deadline is one second here.
 */
@QuarkusTest
@TestProfile(AccountStateTest.ShortDeadline.class)
class AccountStateTest {

    public static class ShortDeadline extends FetchProfile {
        @Override
        protected Map<String, String> overrides() {
            return Map.of(
                    "cartola.callback.deadline", "PT1S");
        }
    }

    static final ObjectMapper JSON = Mappers.exactDecimals();
    final KhipuStandIn khipu = KhipuStandIn.get();
    final S3Objects s3 = new S3Objects();

    @Inject
    CallbackService callbacks;

    static String today() {
        return LocalDate.now(ZoneId.of("America/Santiago")).toString();
    }

    static JsonPath fetch(String event) {
        return Lambda.invoke(event).then().statusCode(200).extract().jsonPath();
    }

    static String input(String mode, String account, boolean force) {
        return "{\"accounts\":[\"" + account + "\"],\"mode\":\"" + mode + "\",\"force\":" + force + "}";
    }

    JsonNode state(String account) throws Exception {
        return JSON.readTree(s3.text("state/btgpactual.cl/account=" + account + ".json").orElseThrow());
    }

    @Test
    void waitFourHoursSkipsTheAccountUntilThenUnlessForced() throws Exception {
        String account = Accounts.fresh();
        khipu.answer(account, Envelopes.error("op-wait", "E201", "WAIT_4_HOURS_BEFORE_RETRY", "Banco no disponible"));

        JsonPath first = fetch(input("sync", account, false));
        JsonPath second = fetch(input("sync", account, false));

        assertEquals("FAILED", first.getString("accounts[0].outcome"));
        // the answer was written as raw and a failure record; the second run took it into the state
        Instant until = Instant.parse(state(account).get("retryNotBefore").asText());
        assertTrue(until.isAfter(Instant.now().plus(Duration.ofMinutes(239))), until.toString());
        assertEquals("SKIPPED", second.getString("accounts[0].outcome"));
        assertEquals(1, second.getInt("skipped"));
        assertEquals(0, second.getInt("notReached"), "a wait is not a run out of room");
        assertEquals(until, Instant.parse(second.getString("accounts[0].retryNotBefore")));
        assertTrue(second.getString("accounts[0].message").contains("force"), second.getString("accounts[0].message"));
        assertEquals(1, khipu.requests(account).size(), "not asked again");

        khipu.answer(account, Envelopes.ok("op-forced", Envelopes.transactions(1, "f")));
        JsonPath forced = fetch(input("sync", account, true));

        assertEquals("STORED", forced.getString("accounts[0].outcome"));
        assertEquals(2, khipu.requests(account).size());
        JsonPath after = fetch(input("sync", account, false));
        assertEquals("STORED", after.getString("accounts[0].outcome"), "a stored result ends the wait");
        assertTrue(state(account).path("retryNotBefore").isMissingNode(), state(account).toString());
    }

    @Test
    void aLostCallbackIsRecordedTheAccountIsFetchedSynchronouslyAndTheLateCallbackMerges() throws Exception {
        String account = Accounts.fresh();
        khipu.accept(account, "op-lost");
        String tx1 = Envelopes.transaction("l-1", "\"10\"", "uno");
        String tx2 = Envelopes.transaction("l-2", "\"20\"", "dos");
        khipu.answer(account, Envelopes.ok("op-sync", tx1, tx2));

        JsonPath accepted = fetch(input("async", account, false));
        String requestId = accepted.getString("accounts[0].requestId");
        String callbackUrl = JSON.readTree(khipu.requests(account).get(0).getBodyAsString()).get("CallbackUrl").asText();
        assertEquals(1, state(account).get("pending").size());
        Thread.sleep(1500);

        JsonPath recovered = fetch(input("async", account, false));

        assertEquals("STORED", recovered.getString("accounts[0].outcome"));
        assertEquals("sync", recovered.getString("accounts[0].mode"));
        assertEquals(1, recovered.getInt("accounts[0].lostOperations"));
        assertEquals(1, recovered.getInt("lost"));
        JsonNode lost = JSON.readTree(s3.only("operations/btgpactual.cl/date=" + today() + "/" + requestId + ".lost"));
        assertEquals("LOST", lost.get("state").asText());
        assertTrue(state(account).get("syncUntilCallback").asBoolean());
        JsonNode pending = state(account).get("pending");
        assertEquals(2, pending.size(), "the lost request, kept for a late callback, and the synchronous one: " + pending);
        assertEquals(requestId, pending.get(0).get("requestId").asText());
        assertTrue(pending.get(0).get("lost").asBoolean());

        JsonPath stillSync = fetch(input("async", account, false));
        assertEquals("sync", stillSync.getString("accounts[0].mode"), "synchronous until a callback arrives again");
        assertEquals(0, stillSync.getInt("lost"));

        String token = callbackUrl.substring(callbackUrl.indexOf("t=") + 2);
        CallbackService.Reply late = callbacks.handle(new CallbackService.Callback("POST", token,
                Envelopes.ok("op-lost", tx1, tx2), false));

        assertEquals(200, late.status(), late.message());
        String view = s3.view(account, today()).orElseThrow();
        assertEquals(2, view.lines().count(), "the late callback merged, nothing doubled");

        khipu.accept(account, "op-again");
        JsonPath back = fetch(input("async", account, false));
        assertEquals("ACCEPTED", back.getString("accounts[0].outcome"));
        assertEquals("async", back.getString("accounts[0].mode"));
        assertEquals(2, khipu.requests(account).stream().filter(r -> !r.getBodyAsString().contains("CallbackUrl")).count(),
                "two synchronous requests, between two asynchronous ones");
        assertEquals(4, khipu.requests(account).size());
        assertFalse(state(account).get("syncUntilCallback").asBoolean());
        assertEquals(1, state(account).get("pending").size(), "only the new request: " + state(account));
    }

    @Test
    void failuresAreCountedAndAStoredResultResetsThem() throws Exception {
        String account = Accounts.fresh();
        khipu.answer(account, Envelopes.error("op-f1", "E401", "DO_NOT_RETRY", "Cuenta no existe"));
        fetch(input("sync", account, false));
        fetch(input("sync", account, false));
        khipu.answer(account, Envelopes.ok("op-f3"));
        fetch(input("sync", account, false));
        // each run took the answer of the one before into the state
        assertEquals(2, state(account).get("consecutiveFailures").asInt());
        assertEquals("E401", state(account).get("lastError").asText());
        assertNull(state(account).get("lastStoredAt"));

        fetch(input("sync", account, false));

        assertEquals(0, state(account).get("consecutiveFailures").asInt());
        assertTrue(state(account).hasNonNull("lastStoredAt"));
    }

    @Test
    void aCallbackForARequestFetchGaveUpOnIsStoredNotCalledADuplicate() throws Exception {
        String account = Accounts.fresh();
        // Khipu takes the request but answers too slowly: fetch times out (after its retries) and records a failure
        khipu.stub(KhipuStandIn.request(account, true).willReturn(KhipuStandIn.json(202, "{\"OperationId\":\"op-slow\"}")
                .withFixedDelay(1500)));

        JsonPath timedOut = fetch(input("async", account, false));

        assertEquals("FAILED", timedOut.getString("accounts[0].outcome"));
        assertEquals("TIMEOUT", timedOut.getString("accounts[0].errorCode"));
        String requestId = timedOut.getString("accounts[0].requestId");
        String callbackUrl = JSON.readTree(khipu.requests(account).get(0).getBodyAsString()).get("CallbackUrl").asText();
        assertTrue(state(account).at("/pending/0/lost").asBoolean(), "no longer awaited, but kept: " + state(account));

        CallbackService.Reply reply = callbacks.handle(new CallbackService.Callback("POST",
                callbackUrl.substring(callbackUrl.indexOf("t=") + 2), Envelopes.ok("op-slow", Envelopes.transactions(2, "slow")), false));

        assertEquals(200, reply.status(), reply.message());
        assertEquals("stored 2 transactions of operation op-slow (added 2, changed 0, removed 0)", reply.message());
        assertTrue(s3.raw(account, today(), requestId).isPresent());
        assertEquals(2, s3.view(account, today())
                .orElseThrow().lines().count());
        assertEquals(1, state(account).get("consecutiveFailures").asInt(), "until the next run takes the answer in");
        khipu.accept(account, "op-next");
        fetch(input("async", account, false));
        assertEquals(0, state(account).get("consecutiveFailures").asInt());
        assertTrue(state(account).hasNonNull("lastStoredAt"));
    }
}
