package io.cartola.hostile;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import io.cartola.callback.CallbackToken;
import io.cartola.testing.Accounts;
import io.cartola.testing.Envelopes;
import io.cartola.testing.FunctionUrlEvent;
import io.cartola.testing.Lambda;
import io.cartola.testing.MotoServer;
import io.cartola.testing.S3Resource;
import io.cartola.testing.S3Objects;
import io.cartola.testing.Tokens;
import io.cartola.testing.WebhookProfile;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * S3 stopped, or failing half-way through a callback: the webhook answers 5xx, marks nothing done,
 * and a redelivery once S3 is back stores everything exactly once. The application reaches a
 * dedicated moto server through a WireMock proxy, so a test can cut the connection or fail chosen requests.
 */
@QuarkusTest
@TestProfile(StorageOutageTest.Outages.class)
class StorageOutageTest {

    static MotoServer s3;
    static WireMockServer proxy;

    public static class Proxy implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            s3 = MotoServer.dedicated();
            proxy = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
            proxy.start();
            proxy.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(s3.endpoint().toString())));
            return S3Resource.config(proxy.baseUrl());
        }

        @Override
        public void stop() {
            proxy.stop();
            s3.stop();
        }
    }

    public static class Outages extends WebhookProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Proxy.class));
        }
    }

    final CallbackToken tokens = Tokens.signer();

    String event(String account, String operationId) {
        return FunctionUrlEvent.post(Tokens.requested(account, Instant.now()),
                Envelopes.ok(operationId, Envelopes.transactions(4, operationId + "-")));
    }

    static JsonPath deliver(String event) {
        return Lambda.invoke(event).then().statusCode(200).extract().jsonPath();
    }

    void assertStoredOnce(S3Objects s3, String account, String operationId) {
        assertEquals(1, s3.keys("raw/btgpactual.cl/account=" + account + "/").size());
        String raw = s3.only("raw/btgpactual.cl/account=" + account + "/");
        assertTrue(raw.contains("\"" + operationId + "\""), raw);
        List<String> view = s3.viewKeys(account);
        assertEquals(1, view.size());
        List<String> lines = s3.text(view.get(0)).orElseThrow().lines().toList();
        assertEquals(4, lines.size());
        assertEquals(4, lines.stream().distinct().count());
    }

    @Test
    void s3StoppedThenBack() {
        String account = Accounts.fresh();
        String event = event(account, "op-outage");
        // S3 unreachable: every connection is dropped
        StubMapping down = proxy.stubFor(any(anyUrl()).atPriority(1)
                .willReturn(aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));
        try {
            JsonPath answer = deliver(event);
            assertEquals(503, answer.getInt("statusCode"));
            assertTrue(answer.getString("body").contains("deliver again"));
        } finally {
            proxy.removeStub(down);
        }
        S3Objects s3 = new S3Objects(StorageOutageTest.s3.endpoint());
        assertTrue(s3.keys("raw/btgpactual.cl/account=" + account).isEmpty());

        JsonPath again = deliver(event);

        assertEquals(200, again.getInt("statusCode"));
        assertTrue(again.getString("body").contains("stored 4 transactions"), again.getString("body"));
        assertStoredOnce(s3, account, "op-outage");
        assertTrue(deliver(event).getString("body").contains("duplicate"));
        assertStoredOnce(s3, account, "op-outage");
    }

    @Test
    void s3FailingHalfWayThrough() {
        String account = Accounts.fresh();
        String event = event(account, "op-halfway");
        // the raw snapshot gets written, the view does not
        StubMapping failing = proxy.stubFor(put(urlPathMatching(".*/view/.*")).atPriority(1)
                .willReturn(aResponse().withStatus(500).withBody("<Error><Code>InternalError</Code></Error>")));
        JsonPath broken = deliver(event);
        proxy.removeStub(failing);

        assertEquals(503, broken.getInt("statusCode"));
        S3Objects s3 = new S3Objects(StorageOutageTest.s3.endpoint());
        assertEquals(1, s3.keys("raw/btgpactual.cl/account=" + account + "/").size(), "raw first");
        assertTrue(s3.viewKeys(account).isEmpty(), "the view is not there: answered 503, so Khipu may deliver again");

        JsonPath again = deliver(event);

        assertEquals(200, again.getInt("statusCode"));
        assertStoredOnce(s3, account, "op-halfway");
    }
}
