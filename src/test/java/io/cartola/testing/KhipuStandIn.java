package io.cartola.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * A real HTTP server standing in for Khipu's transactions endpoint (WireMock), with stubs keyed by
 * account number so that tests do not disturb each other.
 */
public final class KhipuStandIn {

    public static final String PATH = "/v1/cl/banking/personal/btgpactual.cl/transactions";
    private static KhipuStandIn instance;

    private final WireMockServer server;

    private KhipuStandIn(WireMockServer server) {
        this.server = server;
    }

    public static synchronized KhipuStandIn get() {
        if (instance == null) {
            WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                    .containerThreads(64).jettyAcceptors(2).asynchronousResponseEnabled(true));
            server.start();
            instance = new KhipuStandIn(server);
        }
        return instance;
    }

    /** The WireMock server itself, for stubs and checks beyond the transactions endpoint (the token endpoint). */
    public WireMockServer server() {
        return server;
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    /** Requests for {@code account} ({@code async}: with a CallbackUrl; {@code sync}: without). */
    public static MappingBuilder request(String account, boolean async) {
        MappingBuilder m = post(urlPathEqualTo(PATH))
                .withRequestBody(matchingJsonPath("$.RequestData.AccountNumber", com.github.tomakehurst.wiremock.client.WireMock.equalTo(account)));
        return async
                ? m.withRequestBody(matchingJsonPath("$.CallbackUrl"))
                : m.withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.notMatching(".*\"CallbackUrl\".*"));
    }

    public void stub(MappingBuilder mapping) {
        server.stubFor(mapping);
    }

    /** A synchronous request for {@code account} gets 200 with this envelope. */
    public void answer(String account, String envelope) {
        stub(request(account, false).willReturn(json(200, envelope)));
    }

    /** An asynchronous request for {@code account} gets 202 with this operation id. */
    public void accept(String account, String operationId) {
        stub(request(account, true).willReturn(json(202, "{\"OperationId\":\"" + operationId + "\"}")));
    }

    public static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    public List<LoggedRequest> requests(String account) {
        return server.findAll(postRequestedFor(urlPathEqualTo(PATH)).withRequestBody(
                matchingJsonPath("$.RequestData.AccountNumber", com.github.tomakehurst.wiremock.client.WireMock.equalTo(account))));
    }
}
