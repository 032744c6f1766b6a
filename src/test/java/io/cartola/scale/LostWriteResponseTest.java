package io.cartola.scale;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.cartola.queue.AccountTask;
import io.cartola.records.Mode;
import io.cartola.testing.Accounts;
import io.cartola.testing.Envelopes;
import io.cartola.testing.KhipuResource;
import io.cartola.testing.KhipuStandIn;
import io.cartola.testing.Lambda;
import io.cartola.testing.MotoServer;
import io.cartola.testing.QueueProfile;
import io.cartola.testing.S3Objects;
import io.cartola.testing.S3Resource;
import io.cartola.testing.SqsEvents;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * A conditional PUT that S3 committed but whose response was lost: a proxy in front of moto passes the first PUT
 * of an account's state through and answers 500 instead of moto's 200, so the SDK sends it again and gets 412.
 * The worker must recognise its own write and go on, not take it for a duplicate delivery.
 */
@QuarkusTest
@TestProfile(LostWriteResponseTest.Lossy.class)
public class LostWriteResponseTest {

    /** Accounts whose next state PUT loses its response (once each). */
    static final Set<String> LOSE_NEXT = ConcurrentHashMap.newKeySet();
    static WireMockServer proxy;

    /** Replaces the response of a committed PUT with a 500, as a reset or a 5xx after the commit would look. */
    public static class LoseResponse implements ResponseTransformerV2 {
        @Override
        public Response transform(Response response, ServeEvent event) {
            String url = event.getRequest().getUrl();
            if (event.getRequest().getMethod().value().equals("PUT") && response.getStatus() == 200
                    && url.contains("/state/")
                    && LOSE_NEXT.removeIf(a -> url.contains("account%3D" + a) || url.contains("account=" + a + ".json"))) {
                return Response.Builder.like(response).but().status(500)
                        .body("<Error><Code>InternalError</Code><Message>lost</Message></Error>").build();
            }
            return response;
        }

        @Override
        public String getName() {
            return "lose-response";
        }
    }

    public static class LossyProxy implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            MotoServer s3 = MotoServer.dedicated();
            proxy = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(new LoseResponse()));
            proxy.start();
            proxy.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(s3.endpoint().toString())));
            return S3Resource.config(proxy.baseUrl());
        }

        @Override
        public void stop() {
            proxy.stop();
        }
    }

    public static class Lossy extends QueueProfile.Worker {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(LossyProxy.class), new TestResourceEntry(KhipuResource.class),
                    new TestResourceEntry(QueueProfile.Queue.class));
        }
    }

    final KhipuStandIn khipu = KhipuStandIn.get();

    @Test
    void aWorkerWhoseStateWriteLostItsResponseAsksKhipuOnce() throws Exception {
        String account = Accounts.fresh();
        khipu.answer(account, Envelopes.ok("op-lost-response", Envelopes.transactions(2, "lr")));
        LOSE_NEXT.add(account);

        JsonPath answer = Lambda.invoke(SqsEvents.of(List.of(new AccountTask(account, Mode.sync, false, "run-" + UUID.randomUUID())
                .toJson()))).then().statusCode(200).extract().jsonPath();

        assertTrue(LOSE_NEXT.isEmpty(), "the state PUT's response was lost once");
        assertEquals(List.of(), answer.getList("batchItemFailures"));
        assertEquals(1, khipu.requests(account).size(), "asked, once");
        assertEquals(1, new S3Objects(java.net.URI.create(proxy.baseUrl())).keys("raw/btgpactual.cl/account=" + account).size(), "and its answer stored");
    }
}
