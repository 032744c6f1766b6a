package io.cartola.scale;

import static io.cartola.testing.KhipuStandIn.json;
import static io.cartola.testing.KhipuStandIn.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.cartola.queue.AccountTask;
import io.cartola.testing.Accounts;
import io.cartola.testing.ElasticMq;
import io.cartola.testing.Envelopes;
import io.cartola.testing.KhipuStandIn;
import io.cartola.testing.Lambda;
import io.cartola.testing.QueueProfile;
import io.cartola.testing.S3Objects;
import io.cartola.testing.SqsEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Scaled out, an accepted request is looked at again when its callback is due (a delayed message) and,
 * with no callback, the account is fetched then, not at the next run; a message put back waits longer
 * with each delivery. The callback deadline is 2 s here.
 */
@QuarkusTest
@TestProfile(RecheckTest.ShortDeadline.class)
public class RecheckTest {

    public static class ShortDeadline extends QueueProfile.Worker {
        @Override
        protected Map<String, String> overrides() {
            return Map.of("cartola.callback.deadline", "PT2S");
        }
    }

    final KhipuStandIn khipu = KhipuStandIn.get();
    final S3Objects s3 = new S3Objects();

    static List<Message> receive(SqsClient sqs, int waitSeconds) {
        return sqs.receiveMessage(b -> b.queueUrl(QueueProfile.url()).maxNumberOfMessages(10).waitTimeSeconds(waitSeconds)
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
    }

    static List<String> work(List<Message> messages) {
        JsonPath answer = Lambda.invoke(SqsEvents.ofReceived(messages)).then().statusCode(200).extract().jsonPath();
        return answer.getList("batchItemFailures.itemIdentifier", String.class);
    }

    @Test
    void aCallbackThatDoesNotComeByItsDeadlineIsFetchedThenAndAFailureBacksOff() throws Exception {
        String account = Accounts.fresh();
        String run = "run-" + UUID.randomUUID();
        khipu.accept(account, "op-recheck");
        khipu.answer(account, Envelopes.ok("op-recheck-sync", Envelopes.transaction("r1", "\"5\"", "late")));
        try (SqsClient sqs = ElasticMq.get().client()) {
            sqs.sendMessage(b -> b.queueUrl(QueueProfile.url()).messageBody(new AccountTask(account,
                    io.cartola.records.Mode.async, false, run).toJson()));
            List<Message> first = receive(sqs, 2);
            assertEquals(List.of(), work(first));
            sqs.deleteMessage(b -> b.queueUrl(QueueProfile.url()).receiptHandle(first.get(0).receiptHandle()));
            assertEquals(1, khipu.requests(account).size(), "asked asynchronously");

            // the look comes when the callback is due; none came: the request is lost and the account asked now
            List<Message> look = receive(sqs, 10);
            assertEquals(1, look.size());
            AccountTask task = AccountTask.parse(look.get(0).body());
            assertNotNull(task.recheck(), look.get(0).body());
            assertEquals(List.of(), work(look));
            assertEquals(2, khipu.requests(account).size());
            assertTrue(khipu.requests(account).get(1).getBodyAsString().contains("AccountNumber")
                    && !khipu.requests(account).get(1).getBodyAsString().contains("CallbackUrl"), "the second is synchronous");
            assertEquals(1, s3.keys("operations/btgpactual.cl/").stream().filter(k -> k.contains(task.recheck())
                    && k.endsWith(".lost.json")).count(), "recorded lost");
            assertEquals(1, s3.keys("raw/btgpactual.cl/account=" + account).size(), "and stored");

            // the same look delivered again: nothing pending, Khipu not asked
            assertEquals(List.of(), work(look));
            assertEquals(2, khipu.requests(account).size());
            sqs.deleteMessage(b -> b.queueUrl(QueueProfile.url()).receiptHandle(look.get(0).receiptHandle()));

            // a failure that may pass is put back, and waits (at least 15 s) rather than the queue's 5 s
            String down = Accounts.fresh();
            khipu.stub(request(down, false).willReturn(json(500, "{}")));
            sqs.sendMessage(b -> b.queueUrl(QueueProfile.url()).messageBody(new AccountTask(down,
                    io.cartola.records.Mode.sync, false, run).toJson()));
            List<Message> failing = receive(sqs, 2);
            assertEquals(List.of(failing.get(0).messageId()), work(failing));
            assertEquals(List.of(), receive(sqs, 8), "still waiting, past the queue's visibility timeout");
        }
    }

    @Test
    void everyAcceptedRequestOfABatchGetsItsLookAfterTheDeadline() throws Exception {
        String run = "run-" + UUID.randomUUID();
        List<String> accounts = java.util.stream.IntStream.range(0, 10).mapToObj(i -> Accounts.fresh()).toList();
        accounts.forEach(a -> khipu.accept(a, "op-looks-" + a));
        long asked = System.nanoTime();
        assertEquals(List.of(), work(accounts.stream().map(a -> new AccountTask(a, io.cartola.records.Mode.async, false, run))
                .map(AccountTask::toJson).toList()));
        try (SqsClient sqs = ElasticMq.get().client()) {
            java.util.Map<String, AccountTask> looks = new java.util.HashMap<>();
            while (looks.size() < accounts.size() && System.nanoTime() - asked < 20_000_000_000L) {
                for (Message m : receive(sqs, 1)) {
                    AccountTask look = AccountTask.parse(m.body());
                    if (accounts.contains(look.account())) {
                        assertTrue(System.nanoTime() - asked >= 2_000_000_000L, "delivered before the deadline: " + m.body());
                        assertNotNull(look.recheck(), m.body());
                        assertEquals(null, looks.put(look.account(), look), "one look per request: " + m.body());
                        sqs.deleteMessage(b -> b.queueUrl(QueueProfile.url()).receiptHandle(m.receiptHandle()));
                    }
                }
            }
            assertEquals(new java.util.HashSet<>(accounts), looks.keySet());
            // each at the request in its account's state
            looks.values().forEach(look -> assertTrue(s3.text("state/btgpactual.cl/account=" + look.account() + ".json")
                    .orElseThrow().contains(look.recheck()), look.toJson()));
        }
    }

    static List<String> work(java.util.Collection<String> bodies) {
        JsonPath answer = Lambda.invoke(SqsEvents.of(List.copyOf(bodies))).then().statusCode(200).extract().jsonPath();
        return answer.getList("batchItemFailures.itemIdentifier", String.class);
    }
}
