package io.cartola.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.cartola.queue.AccountTask;
import io.cartola.records.Mode;
import io.cartola.testing.Accounts;
import io.cartola.testing.ElasticMq;
import io.cartola.testing.KhipuStandIn;
import io.cartola.testing.Lambda;
import io.cartola.testing.QueueProfile;
import io.cartola.testing.S3Objects;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** fetch with a queue configured plans: one message per account in ElasticMQ, and nobody asks Khipu. */
@QuarkusTest
@TestProfile(QueueProfile.class)
public class PlannerTest {

    static String queueUrl() {
        return QueueProfile.url();
    }

    /** Everything in the queue now, taken out of it. */
    static List<Message> drain(SqsClient sqs, String url) {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            if (got.isEmpty()) {
                return all;
            }
            all.addAll(got);
            got.forEach(m -> sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle())));
        }
    }

    @Test
    void eachAccountBecomesOneMessageOfOneRun() {
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            accounts.add(Accounts.fresh());
        }
        String event = "{\"accounts\":[\"" + String.join("\",\"", accounts) + "\"],\"mode\":\"sync\",\"force\":true}";

        JsonPath answer = Lambda.invoke(event).then().statusCode(200).extract().jsonPath();

        assertEquals(25, answer.getInt("queued"), answer.prettify());
        assertEquals(0, answer.getInt("failed"));
        assertEquals("QUEUED", answer.getString("accounts[0].outcome"));
        try (SqsClient sqs = ElasticMq.get().client()) {
            List<AccountTask> tasks = drain(sqs, queueUrl()).stream().map(m -> AccountTask.parse(m.body())).toList();
            assertEquals(25, tasks.size());
            assertEquals(new HashSet<>(accounts), new HashSet<>(tasks.stream().map(AccountTask::account).toList()));
            Set<String> runs = new HashSet<>(tasks.stream().map(AccountTask::run).toList());
            assertEquals(1, runs.size(), "one run");
            assertTrue(tasks.stream().allMatch(t -> t.mode() == Mode.sync && t.force()));
        }
        accounts.forEach(a -> assertTrue(KhipuStandIn.get().requests(a).isEmpty(), "the planner never asks Khipu"));
        assertFalse(answer.prettify().contains(accounts.get(0)), "account numbers stay masked");
    }

    @Test
    void aLargeRunListsTheFirstThousandInOrderAndCountsEveryAccount() {
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < 1205; i++) {
            accounts.add(Accounts.fresh());
        }
        String event = "{\"accounts\":[\"" + String.join("\",\"", accounts) + "\"],\"mode\":\"async\"}";

        JsonPath answer = Lambda.invoke(event).then().statusCode(200).extract().jsonPath();

        assertEquals(1205, answer.getInt("queued"));
        assertEquals(205, answer.getInt("unlisted"));
        List<String> listed = answer.getList("accounts.account");
        assertEquals(1000, listed.size());
        for (int i = 0; i < 1000; i++) {
            assertEquals(io.cartola.records.Accounts.mask(accounts.get(i)), listed.get(i), "listed in the order asked, at " + i);
        }
        try (SqsClient sqs = ElasticMq.get().client()) {
            assertEquals(new HashSet<>(accounts), new HashSet<>(drain(sqs, queueUrl()).stream()
                    .map(m -> AccountTask.parse(m.body()).account()).toList()), "every account queued once");
        }
    }

    @Test
    void accountsTheQueueDidNotTakeAreFailedWithQueueAndCounted() {
        String url = queueUrl();
        String name = url.substring(url.lastIndexOf('/') + 1);
        List<String> accounts = List.of(Accounts.fresh(), Accounts.fresh(), Accounts.fresh());
        try (SqsClient sqs = ElasticMq.get().client()) {
            sqs.deleteQueue(b -> b.queueUrl(url));
            try {
                JsonPath answer = Lambda.invoke("{\"accounts\":[\"" + String.join("\",\"", accounts) + "\"]}")
                        .then().statusCode(200).extract().jsonPath();

                assertEquals(0, answer.getInt("queued"), answer.prettify());
                assertEquals(3, answer.getInt("failed"));
                assertEquals(List.of("QUEUE", "QUEUE", "QUEUE"), answer.getList("accounts.errorCode"));
                assertTrue(answer.getString("accounts[0].message").contains("QueueDoesNotExist"), answer.prettify());
                // one record of the run lists them in full, to be asked again
                List<String> keys = new S3Objects().keys("operations/").stream().filter(k -> k.endsWith(".unqueued.json")).toList();
                assertEquals(1, keys.size(), keys.toString());
                JsonPath record = new JsonPath(new S3Objects().text(keys.get(0)).orElseThrow());
                assertEquals(accounts, record.getList("accounts.account"));
                assertTrue(record.getString("accounts[0].reason").contains("QueueDoesNotExist"));
            } finally {
                ElasticMq.get().queue(name, java.util.Map.of(software.amazon.awssdk.services.sqs.model.QueueAttributeName.VISIBILITY_TIMEOUT, "5"));
            }
        }
        accounts.forEach(a -> assertTrue(KhipuStandIn.get().requests(a).isEmpty()));
    }
}
