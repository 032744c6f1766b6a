package io.cartola.scale;

import static io.cartola.testing.KhipuStandIn.json;
import static io.cartola.testing.KhipuStandIn.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.cartola.callback.CallbackService;
import io.cartola.fetch.FetchInput;
import io.cartola.fetch.FetchResult;
import io.cartola.fetch.FetchRun;
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
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * End to end, scaled out: the planner queues the accounts in ElasticMQ; a loop plays Lambda's event
 * source mapping (receive up to ten, invoke fetch-worker with the SQS event, delete what it did not
 * report failed, let the rest come back); Khipu (WireMock) accepts, and its callbacks are stored.
 */
@QuarkusTest
@TestProfile(QueueProfile.Worker.class)
public class ScaleOutTest {

    @Inject
    FetchRun planner;
    @Inject
    CallbackService webhook;

    final KhipuStandIn khipu = KhipuStandIn.get();
    final S3Objects s3 = new S3Objects();

    @Test
    void plannedAccountsAreFetchedByWorkersAndTheirCallbacksStored() throws Exception {
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            String account = Accounts.fresh();
            accounts.add(account);
            khipu.accept(account, "op-scale-" + account);
        }
        // one account's first request meets a Khipu outage: the worker's own retry gets through
        String flaky = accounts.get(7);
        khipu.stub(request(flaky, true).inScenario("flaky-" + flaky).whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("up").willReturn(json(503, "{}")));
        khipu.stub(request(flaky, true).inScenario("flaky-" + flaky).whenScenarioStateIs("up")
                .willReturn(json(202, "{\"OperationId\":\"op-scale-" + flaky + "\"}")));

        FetchResult plan = planner.fetch(new FetchInput(accounts, "async"));
        assertEquals(23, plan.queued());

        int invocations = eventSourceMapping(QueueProfile.url());
        assertTrue(invocations >= 3, "ten messages at most per invocation: " + invocations);

        for (String account : accounts) {
            List<LoggedRequest> asked = khipu.requests(account);
            assertEquals(account.equals(flaky) ? 2 : 1, asked.size(), "asked once per run (the flaky one once more)");
            String callbackUrl = io.restassured.path.json.JsonPath.from(asked.get(asked.size() - 1).getBodyAsString()).getString("CallbackUrl");
            String token = URI.create(callbackUrl).getRawQuery().substring("t=".length());
            String body = Envelopes.ok("op-scale-" + account, Envelopes.transaction("s-" + account, "\"1.5\"", "scaled"));
            assertEquals(200, webhook.handle(new CallbackService.Callback("POST", token, body, false)).status());
            String view = s3.onlyView(account);
            assertEquals(1, view.lines().count());
        }
    }

    /** Plays the event source mapping until the queue is empty; returns how many times it invoked the worker. */
    int eventSourceMapping(String url) throws Exception {
        int invocations = 0;
        int idle = 0;
        try (SqsClient sqs = ElasticMq.get().client()) {
            while (idle < 4) {
                List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
                if (batch.isEmpty()) {
                    idle++;
                    continue;
                }
                idle = 0;
                invocations++;
                List<String> failed = Lambda.invoke(SqsEvents.ofReceived(batch)).then().statusCode(200).extract().jsonPath()
                        .getList("batchItemFailures.itemIdentifier", String.class);
                Set<String> again = new HashSet<>(failed);
                for (Message m : batch) {
                    if (!again.contains(m.messageId())) {
                        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
                    }
                }
            }
        }
        return invocations;
    }
}
