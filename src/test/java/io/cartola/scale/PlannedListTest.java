package io.cartola.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cartola.queue.AccountTask;
import io.cartola.testing.ElasticMq;
import io.cartola.testing.Lambda;
import io.cartola.testing.MotoServer;
import io.cartola.testing.QueueProfile;
import io.cartola.testing.S3Objects;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Planning from the stored list, read as it is sent: bad lines and repeats reported by number, the accounts
 * past cartola.fetch.max-accounts reported after the queued ones, the answer in the order of the list.
 */
@QuarkusTest
@TestProfile(PlannedListTest.StoredList.class)
public class PlannedListTest {

    static final String KEY = "config/planned-" + System.nanoTime() + ".txt";
    static final int LIMIT = 1005;

    public static class StoredList extends QueueProfile {
        @Override
        protected Map<String, String> overrides() {
            return Map.of("cartola.accounts.key", KEY, "cartola.fetch.max-accounts", String.valueOf(LIMIT));
        }
    }

    @Test
    void theStoredListIsQueuedAsItIsReadInOrderUpToTheLimit() {
        List<String> accounts = new ArrayList<>();
        StringBuilder text = new StringBuilder("# planned\n");
        for (int i = 0; i < 1200; i++) {
            String account = String.format("%012d", 600_000_000L + i);
            accounts.add(account);
            text.append(account).append('\n');
            if (i == 3) {
                text.append("not an account\n").append(accounts.get(0)).append('\n');
            }
        }
        try (var s3 = S3Objects.client(MotoServer.get().endpoint())) {
            s3.putObject(b -> b.bucket(MotoServer.BUCKET).key(KEY), RequestBody.fromString(text.toString()));
        }

        JsonPath answer = Lambda.invoke("{\"mode\":\"async\"}").then().statusCode(200).extract().jsonPath();

        assertEquals(LIMIT, answer.getInt("queued"), answer.getString("problems"));
        assertEquals(1200 - LIMIT, answer.getInt("notReached"));
        assertEquals(List.of(KEY + " line 6: only letters, digits and '-' are allowed",
                KEY + " line 7: repeats ****0000 of line 2"), answer.getList("problems"));
        List<String> listed = answer.getList("accounts.account");
        for (int i = 0; i < 1000; i++) {
            assertEquals(io.cartola.records.Accounts.mask(accounts.get(i)), listed.get(i), "in the order of the list, at " + i);
        }
        assertEquals(200, answer.getInt("unlisted"));
        try (SqsClient sqs = ElasticMq.get().client()) {
            List<String> queued = PlannerTest.drain(sqs, QueueProfile.url()).stream().map(m -> AccountTask.parse(m.body()).account()).toList();
            assertEquals(LIMIT, queued.size());
            assertEquals(new HashSet<>(accounts.subList(0, LIMIT)), new HashSet<>(queued));
        }
    }
}
