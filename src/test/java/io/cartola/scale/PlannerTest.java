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
}
