package io.cartola.credentials;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.cartola.testing.KhipuStandIn.json;
import static io.cartola.testing.KhipuStandIn.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.cartola.testing.Accounts;
import io.cartola.testing.Envelopes;
import io.cartola.testing.FetchProfile;
import io.cartola.testing.KhipuStandIn;
import io.cartola.testing.Lambda;
import io.cartola.testing.LogCapture;
import io.cartola.testing.S3Objects;
import io.cartola.testing.Vault;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The deployment's credential as OAuth 2.0 client credentials: Quarkus' OIDC client gets the token from
 * Khipu's token endpoint (WireMock), caches it, renews it before it expires and after a 401, and fetch
 * sends it as the Bearer of every account without a token of its own.
 */
@QuarkusTest
@TestProfile(ClientCredentialsTest.Profile.class)
public class ClientCredentialsTest {

    static final String TOKEN_PATH = "/oauth2/token";
    static final String CLIENT_ID = "cartola-test-client";
    static final String CLIENT_SECRET = "client-secret-0123456789-abcdefgh";
    /** Makes the tokens long enough that finding one in a log line is no accident. */
    static final String SUFFIX = "-Zq7xW3kP9vR2mT8";

    public static class Profile extends FetchProfile {
        @Override
        protected Map<String, String> overrides() {
            return Map.of("cartola.khipu.api-key", "",
                    "cartola.khipu.client-id", CLIENT_ID,
                    "cartola.khipu.client-secret", CLIENT_SECRET,
                    "cartola.khipu.token-url", KhipuStandIn.get().baseUrl() + TOKEN_PATH);
        }
    }

    final KhipuStandIn khipu = KhipuStandIn.get();

    static String sync(String... accounts) {
        return "{\"accounts\":[\"" + String.join("\",\"", accounts) + "\"],\"mode\":\"sync\"}";
    }

    /** Khipu's identity server hands out cc-1, cc-2, ... in turn; {@code lifetimes[i]} is token i+1's expires_in. */
    void tokenEndpoint(int... lifetimes) {
        for (int i = 0; i < lifetimes.length; i++) {
            khipu.stub(post(urlPathEqualTo(TOKEN_PATH)).inScenario("tokens")
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "issued-" + i)
                    .willSetStateTo("issued-" + (i + 1))
                    .willReturn(json(200, "{\"access_token\":\"cc-" + (i + 1) + SUFFIX + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                            + lifetimes[i] + "}")));
        }
    }

    List<LoggedRequest> tokenRequests() {
        return khipu.server().findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
    }

    @Test
    void theTokenIsObtainedOnceRenewedAfterA401AndOnExpiryAndNeverShown() throws Exception {
        // cc-1 lives an hour, cc-2 two seconds past the 30 s renewal margin, cc-3 and cc-4 an hour; then no more
        tokenEndpoint(3600, 32, 3600, 3600);
        try (LogCapture logs = LogCapture.install()) {
            // 1. one token for the whole run, sent as the Bearer and without the API key
            String a = Accounts.fresh();
            String b = Accounts.fresh();
            khipu.answer(a, Envelopes.ok("op-a", Envelopes.transaction("ta", "\"1\"", "a")));
            khipu.answer(b, Envelopes.ok("op-b", Envelopes.transaction("tb", "\"2\"", "b")));
            JsonPath first = Lambda.invoke(sync(a, b)).then().statusCode(200).extract().jsonPath();
            assertEquals(2, first.getInt("stored"), first.prettify());
            assertEquals(1, tokenRequests().size(), "fetched once, then cached");
            LoggedRequest tokenRequest = tokenRequests().get(0);
            assertTrue(tokenRequest.getBodyAsString().contains("grant_type=client_credentials"), tokenRequest.getBodyAsString());
            String basic = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
            assertEquals(basic, tokenRequest.getHeader("Authorization"));
            for (String account : List.of(a, b)) {
                LoggedRequest r = khipu.requests(account).get(0);
                assertEquals("Bearer cc-1" + SUFFIX, r.getHeader("Authorization"));
                assertFalse(r.containsHeader("x-api-key"));
            }

            // 2. Khipu revokes cc-1 before it expires: 401, a new token, the request once more
            String c = Accounts.fresh();
            khipu.stub(request(c, false).withHeader("Authorization", equalTo("Bearer cc-1" + SUFFIX))
                    .willReturn(json(401, "{\"message\":\"token revoked\"}")));
            khipu.stub(request(c, false).withHeader("Authorization", equalTo("Bearer cc-2" + SUFFIX))
                    .willReturn(json(200, Envelopes.ok("op-c", Envelopes.transaction("tc", "\"3\"", "c")))));
            JsonPath second = Lambda.invoke(sync(c)).then().statusCode(200).extract().jsonPath();
            assertEquals("STORED", second.getString("accounts[0].outcome"), second.prettify());
            assertEquals(2, tokenRequests().size());
            assertEquals(2, khipu.requests(c).size(), "asked again once, with the new token");

            // 3. cc-2 expires (within the renewal margin): the next request gets cc-3 first. The OIDC client counts
            // whole seconds and renews when now + 30 > expiry, strictly: only 3 s after cc-2 is that sure
            Thread.sleep(3500);
            String d = Accounts.fresh();
            khipu.answer(d, Envelopes.ok("op-d", Envelopes.transaction("td", "\"4\"", "d")));
            Lambda.invoke(sync(d)).then().statusCode(200).body("stored", org.hamcrest.Matchers.is(1));
            assertEquals(3, tokenRequests().size());
            assertEquals("Bearer cc-3" + SUFFIX, khipu.requests(d).get(0).getHeader("Authorization"));

            // 4. an account with its own token is asked with it; no token is fetched for it
            String own = Accounts.fresh();
            String ownToken = "eyJhbGciOiJSUzI1NiJ9.own-" + own + ".c2ln";
            Vault.register(own, ownToken);
            khipu.answer(own, Envelopes.ok("op-own", Envelopes.transaction("to", "\"5\"", "o")));
            Lambda.invoke(sync(own)).then().statusCode(200).body("stored", org.hamcrest.Matchers.is(1));
            assertEquals("Bearer " + ownToken, khipu.requests(own).get(0).getHeader("Authorization"));
            assertEquals(3, tokenRequests().size());

            // 5. Khipu rejects every client-credentials token for this account: failed, not parked like a bad own token
            String e = Accounts.fresh();
            khipu.stub(request(e, false).withHeader("Authorization", matching("Bearer cc-.*"))
                    .willReturn(json(401, "{\"message\":\"needs the user's authorisation\"}")));
            String fifth = Lambda.invoke(sync(e)).then().statusCode(200).extract().asString();
            JsonPath r5 = JsonPath.from(fifth);
            assertEquals("FAILED", r5.getString("accounts[0].outcome"), fifth);
            assertEquals("HTTP_401", r5.getString("accounts[0].errorCode"));
            assertTrue(r5.getString("accounts[0].message").contains("also a new one"), fifth);
            assertEquals(0, r5.getInt("unauthorised"));
            assertEquals(2, khipu.requests(e).size(), "refreshed once, not more");
            assertFalse(new S3Objects().text("state/btgpactual.cl/account=" + e + ".json").orElseThrow().contains("tokenRejectedAt"));

            // 6. the token endpoint stops answering: the account fails, saying so
            String f = Accounts.fresh();
            khipu.stub(request(f, false).withHeader("Authorization", matching("Bearer cc-.*"))
                    .willReturn(json(401, "{\"message\":\"token expired\"}")));
            String sixth = Lambda.invoke(sync(f)).then().statusCode(200).extract().asString();
            assertEquals("TOKEN_ENDPOINT", JsonPath.from(sixth).getString("accounts[0].errorCode"), sixth);
            assertTrue(JsonPath.from(sixth).getString("accounts[0].message").contains("cartola.khipu.token-url"), sixth);

            // no token and no client secret in any log line or stored object
            for (String secret : List.of("cc-1" + SUFFIX, "cc-2" + SUFFIX, "cc-3" + SUFFIX, CLIENT_SECRET, ownToken)) {
                logs.lines().forEach(line -> assertFalse(line.contains(secret), "a log line holds a secret: " + line));
                new S3Objects().all().forEach((key, text) -> assertFalse(text.contains(secret), key + " holds a secret"));
            }
        }
    }
}
