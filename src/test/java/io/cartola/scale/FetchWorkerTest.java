package io.cartola.scale;

import static io.cartola.testing.KhipuStandIn.json;
import static io.cartola.testing.KhipuStandIn.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.cartola.testing.Accounts;
import io.cartola.testing.Envelopes;
import io.cartola.testing.KhipuStandIn;
import io.cartola.testing.Lambda;
import io.cartola.testing.QueueProfile;
import io.cartola.testing.S3Objects;
import io.cartola.testing.SqsEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The fetch-worker function with SQS events shaped as AWS documents them: partial batch failures, a
 * poison message, duplicate deliveries (Khipu is asked once per account and run), and what is not redelivered.
 */
@QuarkusTest
@TestProfile(QueueProfile.Worker.class)
public class FetchWorkerTest {

    final KhipuStandIn khipu = KhipuStandIn.get();
    final S3Objects s3 = new S3Objects();

    static String task(String account, String mode, String run) {
        return "{\"account\":\"" + account + "\",\"mode\":\"" + mode + "\",\"force\":false,\"run\":\"" + run + "\"}";
    }

    static List<String> failures(String event) {
        JsonPath answer = Lambda.invoke(event).then().statusCode(200).extract().jsonPath();
        assertFalse(answer.prettify().contains("\"errorMessage\""), answer.prettify());
        return answer.getList("batchItemFailures.itemIdentifier", String.class).stream().sorted().toList();
    }

    @Test
    void onlyFailuresThatMayPassAndPoisonMessagesGoBackAndADuplicateDoesNotAskKhipuAgain() {
        String ok = Accounts.fresh();
        String down = Accounts.fresh();
        String run = "run-" + UUID.randomUUID();
        khipu.answer(ok, Envelopes.ok("op-w-ok", Envelopes.transaction("w1", "\"10\"", "a")));
        khipu.stub(request(down, false).willReturn(json(503, "{\"message\":\"unavailable\"}")));

        // AWS's own example body ("Test message.") is the poison: not an account task
        List<String> failed = failures(SqsEvents.of(List.of(task(ok, "sync", run), task(down, "sync", run), "Test message.")));

        assertEquals(List.of("msg-1", "msg-2"), failed);
        assertEquals(1, s3.keys("raw/btgpactual.cl/account=" + ok).size());
        assertEquals(4, khipu.requests(down).size(), "retried in the function first, then left to the queue");

        // the same message again (SQS delivers at least once): done already, Khipu not asked
        assertEquals(List.of(), failures(SqsEvents.of(List.of(task(ok, "sync", run)))));
        assertEquals(1, khipu.requests(ok).size());

        // the failed one, redelivered once Khipu is back: its claim was released, so it is asked and stored
        khipu.answer(down, Envelopes.ok("op-w-down", Envelopes.transaction("w2", "\"20\"", "b")));
        assertEquals(List.of(), failures(SqsEvents.of(List.of(task(down, "sync", run)))));
        assertEquals(1, s3.keys("raw/btgpactual.cl/account=" + down).size());

        // the next run is another claim
        assertEquals(List.of(), failures(SqsEvents.of(List.of(task(ok, "sync", "run-" + UUID.randomUUID())))));
        assertEquals(2, khipu.requests(ok).size());
    }

    @Test
    void khipusWaitIsRecordedNotRedelivered() {
        String account = Accounts.fresh();
        khipu.answer(account, Envelopes.error("op-w-wait", "E201", "WAIT_4_HOURS_BEFORE_RETRY", "bank busy"));

        assertEquals(List.of(), failures(SqsEvents.of(List.of(task(account, "sync", "run-" + UUID.randomUUID())))));

        assertTrue(s3.keys("operations/").stream().anyMatch(k -> k.endsWith(".result.json")
                && s3.text(k).orElse("").contains("op-w-wait")), "recorded");
        // a later run's message takes the answer into the state, finds the wait and skips the account without asking
        assertEquals(List.of(), failures(SqsEvents.of(List.of(task(account, "sync", "run-" + UUID.randomUUID())))));
        assertEquals(1, khipu.requests(account).size());
        String state = s3.text("state/btgpactual.cl/account=" + account + ".json").orElseThrow();
        assertTrue(state.contains("retryNotBefore"), state);
    }

    @Test
    void bodiesThatAreNotTasksNameTheProblemAndFailOnlyThemselves() {
        String ok = Accounts.fresh();
        khipu.answer(ok, Envelopes.ok("op-w-ok2"));
        List<String> bodies = List.of("{\"account\":\"../x\",\"mode\":\"sync\",\"run\":\"r\"}",
                "{\"account\":\"" + ok + "\",\"mode\":\"later\",\"run\":\"r\"}", "{\"account\":\"" + ok + "\",\"mode\":\"sync\"}",
                "[]", "", task(ok, "sync", "run-" + UUID.randomUUID()));
        assertEquals(List.of("msg-0", "msg-1", "msg-2", "msg-3", "msg-4"), failures(SqsEvents.of(bodies)));
        assertEquals(1, khipu.requests(ok).size());
    }

    @Test
    void whatIsNotAnSqsBatchIsRefusedNamingWhatCame() {
        java.util.Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put(io.cartola.testing.Events.load(io.cartola.testing.Events.RULE_SCHEDULED), "an EventBridge event (\"Scheduled Event\" from \"aws.events\")");
        refused.put(io.cartola.testing.Events.load(io.cartola.testing.Events.SCHEDULER_SCHEDULED), "an EventBridge event (\"Scheduled Event\" from \"aws.scheduler\")");
        refused.put(io.cartola.testing.Events.load(io.cartola.testing.Events.S3_PUT), "Records[0].eventSource: expected \"aws:sqs\", got \"aws:s3\"");
        refused.put(io.cartola.testing.Events.load(io.cartola.testing.Events.SNS), "Records[0].eventSource: expected \"aws:sqs\", got \"aws:sns\"");
        refused.put(io.cartola.testing.Events.load(io.cartola.testing.Events.API_GATEWAY_HTTP), "an HTTP request");
        refused.put("{}", "an empty object {}");
        refused.put(SqsEvents.of(List.of("{}")).replace("\"messageId\"", "\"messageID\""), "Records[0].messageId: required");
        refused.forEach((event, named) -> Lambda.invoke(event).then().statusCode(500)
                .body("errorMessage", org.hamcrest.Matchers.containsString(named))
                .body("errorMessage", org.hamcrest.Matchers.containsString("fetch-worker takes the SQS batch")));
    }

    @Test
    void aPoisonMessageIsDeliveredAgainAtOnceOnItsWayToTheDeadLetterQueue() throws Exception {
        try (software.amazon.awssdk.services.sqs.SqsClient sqs = io.cartola.testing.ElasticMq.get().client()) {
            sqs.sendMessage(b -> b.queueUrl(io.cartola.testing.QueueProfile.url()).messageBody("not a task"));
            List<software.amazon.awssdk.services.sqs.model.Message> first = RecheckTest.receive(sqs, 2);
            assertEquals(1, first.size());
            assertEquals(List.of(first.get(0).messageId()), failures(SqsEvents.ofReceived(first)));
            long put = System.nanoTime();
            // the queue's visibility timeout is 5 s here: it comes back well before
            List<software.amazon.awssdk.services.sqs.model.Message> again = RecheckTest.receive(sqs, 2);
            assertEquals(1, again.size(), "delivered again at once");
            assertTrue(System.nanoTime() - put < 3_000_000_000L);
            assertEquals("2", again.get(0).attributes().get(software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
            sqs.deleteMessage(b -> b.queueUrl(io.cartola.testing.QueueProfile.url()).receiptHandle(again.get(0).receiptHandle()));
        }
    }
}
