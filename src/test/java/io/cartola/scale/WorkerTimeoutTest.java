package io.cartola.scale;

import static io.cartola.testing.KhipuStandIn.json;
import static io.cartola.testing.KhipuStandIn.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * The worker near its timeout: accounts it can no longer finish are not started but answered as batch item
 * failures, so the queue delivers them again, instead of Lambda cutting the invocation off and the whole batch
 * coming back half an hour later. Scaled down: one account may take 1.5 s, the invocation 3 s, one at a time.
 */
@QuarkusTest
@TestProfile(WorkerTimeoutTest.ShortTimeout.class)
public class WorkerTimeoutTest {

    public static class ShortTimeout extends QueueProfile.Worker {
        @Override
        protected Map<String, String> overrides() {
            // Khipu's 0.7 s must not pass the test profile's 1 s read timeout on a loaded machine: a retry would ask twice
            return Map.of("cartola.fetch.timeout", "PT3S", "cartola.fetch.account-budget", "PT1.5S", "cartola.fetch.concurrency", "1",
                    "quarkus.rest-client.khipu.read-timeout", "5000");
        }
    }

    final KhipuStandIn khipu = KhipuStandIn.get();
    final S3Objects s3 = new S3Objects();

    @Test
    void accountsThatCannotFinishInTimeAreNotStartedButPutBack() {
        String run = "run-" + UUID.randomUUID();
        List<String> accounts = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String account = Accounts.fresh();
            accounts.add(account);
            // Khipu takes 0.7 s for each: the third starts past 1.5 s, when less than its budget is left
            khipu.stub(request(account, false).willReturn(json(200, Envelopes.ok("op-t" + i, Envelopes.transaction("t" + i, "\"1\"", "x")))
                    .withFixedDelay(700)));
            bodies.add("{\"account\":\"" + account + "\",\"mode\":\"sync\",\"force\":false,\"run\":\"" + run + "\"}");
        }

        JsonPath answer = Lambda.invoke(SqsEvents.of(bodies)).then().statusCode(200).extract().jsonPath();

        List<String> failed = answer.getList("batchItemFailures.itemIdentifier", String.class);
        assertTrue(failed.contains("msg-3"), "the last account is put back: " + failed);
        assertFalse(failed.contains("msg-0"), "the first one was fetched: " + failed);
        for (int i = 0; i < accounts.size(); i++) {
            boolean putBack = failed.contains("msg-" + i);
            String account = accounts.get(i);
            assertEquals(putBack ? 0 : 1, khipu.requests(account).size(), "put back means not started: account " + (i + 1));
            assertEquals(putBack ? 0 : 1, s3.keys("raw/btgpactual.cl/account=" + account + "/").size());
        }
    }
}
