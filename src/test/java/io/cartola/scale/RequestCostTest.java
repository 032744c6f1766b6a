package io.cartola.scale;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.cartola.callback.CallbackService;
import io.cartola.fetch.FetchInput;
import io.cartola.fetch.FetchRun;
import io.cartola.testing.Accounts;
import io.cartola.testing.ElasticMq;
import io.cartola.testing.Envelopes;
import io.cartola.testing.KhipuResource;
import io.cartola.testing.KhipuStandIn;
import io.cartola.testing.Lambda;
import io.cartola.testing.MotoServer;
import io.cartola.testing.QueueProfile;
import io.cartola.testing.S3Resource;
import io.cartola.testing.SqsEvents;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * What one account costs in S3 requests, counted where they go (a WireMock proxy in front of moto): a
 * scaled-out run (planner, worker, Khipu's callback, the look at the deadline) and a synchronous one.
 * Every write is counted; an account-run writes its state, the raw answer and the view, nothing more.
 */
@QuarkusTest
@TestProfile(RequestCostTest.Counted.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the batch's looks, left in the queue, come after the runs counted one by one
public class RequestCostTest {

    static WireMockServer proxy;

    public static class CountingProxy implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            MotoServer s3 = MotoServer.dedicated();
            proxy = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
            proxy.start();
            proxy.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(s3.endpoint().toString())));
            return S3Resource.config(proxy.baseUrl());
        }

        @Override
        public void stop() {
            proxy.stop();
        }
    }

    static WireMockServer sqsProxy;

    /** The work queue on ElasticMQ, the application's SQS requests through a proxy that counts them. */
    public static class CountedQueue implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new java.util.HashMap<>(new QueueProfile.Queue().start());
            URI queue = URI.create(config.get("cartola.queue.url"));
            sqsProxy = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
            sqsProxy.start();
            sqsProxy.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(queue.getScheme() + "://" + queue.getAuthority())));
            config.put("cartola.queue.url", sqsProxy.baseUrl() + queue.getRawPath());
            return config;
        }

        @Override
        public void stop() {
            sqsProxy.stop();
            new QueueProfile.Queue().stop();
        }
    }

    /** The application's SQS calls since the last reset, by action, and the messages they carried. */
    static Map<String, Integer> sqsRequests() {
        Map<String, Integer> counts = new TreeMap<>();
        for (ServeEvent e : sqsProxy.getAllServeEvents()) {
            String action = e.getRequest().getHeader("X-Amz-Target").replace("AmazonSQS.", "");
            counts.merge(action, 1, Integer::sum);
            if (action.equals("SendMessageBatch")) {
                counts.merge("messages", io.restassured.path.json.JsonPath.from(e.getRequest().getBodyAsString())
                        .getList("Entries").size(), Integer::sum);
            } else if (action.equals("SendMessage")) {
                counts.merge("messages", 1, Integer::sum);
            }
        }
        return counts;
    }

    public static class Counted extends QueueProfile.Worker {
        @Override
        protected Map<String, String> overrides() {
            // the look at an accepted request comes 6 s after it: time to deliver the callback first
            return Map.of("cartola.callback.deadline", "PT5S");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(CountingProxy.class), new TestResourceEntry(KhipuResource.class),
                    new TestResourceEntry(CountedQueue.class));
        }
    }

    @Inject
    FetchRun planner;
    @Inject
    CallbackService webhook;

    final KhipuStandIn khipu = KhipuStandIn.get();

    /** The S3 requests since the last reset, as "METHOD what" (what: the top folder, or the credentials bucket) → count. */
    static Map<String, Integer> s3Requests() {
        Map<String, Integer> counts = new TreeMap<>();
        for (ServeEvent e : proxy.getAllServeEvents()) {
            LoggedRequest r = e.getRequest();
            String path = URI.create(r.getUrl()).getPath();
            String[] parts = path.split("/");
            String what = parts.length < 3 ? path : parts[1].equals(MotoServer.CREDENTIALS_BUCKET) ? "credentials" : parts[2];
            counts.merge(r.getMethod().value() + " " + what, 1, Integer::sum);
        }
        return counts;
    }

    static int writes(Map<String, Integer> counts) {
        return counts.entrySet().stream().filter(e -> e.getKey().startsWith("PUT") || e.getKey().startsWith("POST")
                || e.getKey().startsWith("DELETE")).mapToInt(Map.Entry::getValue).sum();
    }

    @Test
    @Order(1)
    void anAsynchronousAccountRunWritesThreeObjectsAndASynchronousOneToo() throws Exception {
        String account = Accounts.fresh();
        List<Map<String, Integer>> runs = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            khipu.accept(account, "op-cost-" + run);
            proxy.resetRequests();
            sqsProxy.resetRequests();
            assertEquals(1, planner.fetch(new FetchInput(List.of(account), "async")).queued());
            assertEquals(1, deliverNext(Duration.ofSeconds(5)), "the planned account");
            List<LoggedRequest> asked = khipu.requests(account);
            String callbackUrl = io.restassured.path.json.JsonPath.from(asked.get(asked.size() - 1).getBodyAsString())
                    .getString("CallbackUrl");
            String token = URI.create(callbackUrl).getRawQuery().substring("t=".length());
            CallbackService.Reply reply = webhook.handle(new CallbackService.Callback("POST", token,
                    Envelopes.ok("op-cost-" + run, Envelopes.transactions(3, "cost" + run + "-")), false));
            assertEquals(200, reply.status(), reply.message());
            assertEquals(1, deliverNext(Duration.ofSeconds(15)), "the look at the deadline");
            runs.add(s3Requests());
            System.out.println("SQS requests of the asynchronous account-run (the planner's batch, the look): " + sqsRequests());
            sqsProxy.resetRequests();
        }
        System.out.println("S3 requests per asynchronous account-run (first, second, third): " + runs);
        assertEquals(3, khipu.requests(account).size(), "asked once per run; the looks found the callbacks");
        // the day's record is written by the day's first snapshot (and at its close, or when a gap appears): not per run
        assertEquals(Integer.valueOf(1), runs.get(0).get("PUT days"), runs.get(0).toString());
        for (Map<String, Integer> run : runs) {
            assertEquals(3, writes(run) - run.getOrDefault("PUT days", 0), "state, raw, view: " + run);
            assertTrue(run.getOrDefault("PUT days", 0) <= 1, run.toString());
            assertEquals(Integer.valueOf(1), run.get("PUT state"), run.toString());
            assertEquals(Integer.valueOf(1), run.get("PUT raw"), run.toString());
            assertEquals(Integer.valueOf(1), run.get("PUT view"), run.toString());
            // the worker's decision and its write share one read (the write is conditional on it); the look reads once
            assertEquals(Integer.valueOf(2), run.get("GET state"), run.toString());
        }
        assertTrue(runs.get(2).getOrDefault("GET raw", 0) >= 2, "later runs read the earlier answer to take it in: " + runs.get(2));

        // synchronous: the same three writes, no callback, no look
        khipu.answer(account, Envelopes.ok("op-cost-sync", Envelopes.transactions(4, "sync-")));
        proxy.resetRequests();
        planner.fetch(new FetchInput(List.of(account), "sync"));
        assertEquals(1, deliverNext(Duration.ofSeconds(5)));
        Map<String, Integer> sync = s3Requests();
        System.out.println("S3 requests per synchronous account-run: " + sync);
        assertEquals(3, writes(sync), "the day's record was written by its first snapshot: " + sync);
        assertEquals(Integer.valueOf(1), sync.get("GET state"), sync.toString());
    }

    @Test
    @Order(2)
    void aBatchOfTenSendsItsTenLooksInAFewCalls() throws Exception {
        List<String> accounts = java.util.stream.IntStream.range(0, 10).mapToObj(i -> Accounts.fresh()).toList();
        accounts.forEach(a -> khipu.accept(a, "op-cost-looks-" + a));
        assertEquals(10, planner.fetch(new FetchInput(accounts, "async")).queued());
        sqsProxy.resetRequests();
        assertEquals(10, deliverNext(Duration.ofSeconds(5)), "one batch of ten");
        Map<String, Integer> sqs = sqsRequests();
        System.out.println("SQS requests of one fetch-worker invocation of ten asynchronous accounts: " + sqs);
        assertEquals(Integer.valueOf(10), sqs.get("messages"), "a look per accepted request: " + sqs);
        assertEquals(sqs.keySet(), java.util.Set.of("SendMessageBatch", "messages"), sqs.toString());
        assertTrue(sqs.get("SendMessageBatch") <= 10, sqs.toString());
    }

    /** Plays the event source mapping for one batch: receive, invoke fetch-worker, delete what it did not fail. */
    static int deliverNext(Duration within) throws Exception {
        String url = QueueProfile.url();
        long until = System.nanoTime() + within.toNanos();
        try (SqsClient sqs = ElasticMq.get().client()) {
            while (System.nanoTime() < until) {
                List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
                if (batch.isEmpty()) {
                    continue;
                }
                List<String> failed = Lambda.invoke(SqsEvents.ofReceived(batch)).then().statusCode(200).extract().jsonPath()
                        .getList("batchItemFailures.itemIdentifier", String.class);
                for (Message m : batch) {
                    if (!failed.contains(m.messageId())) {
                        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
                    }
                }
                return batch.size();
            }
        }
        return 0;
    }
}
