package io.cartola.credentials;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static io.cartola.testing.KhipuStandIn.json;
import static io.cartola.testing.KhipuStandIn.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

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
 * Accounts with their own access token: fetch (invoked as Lambda invokes it) sends each account's token,
 * and the API key for the others; a token Khipu rejects parks its account until a new one is registered.
 * Tokens are registered with cartola's own code into moto's credential bucket (see Vault).
 */
@QuarkusTest
@TestProfile(FetchProfile.class)
public class AccountTokensFetchTest {

    final KhipuStandIn khipu = KhipuStandIn.get();
    final S3Objects data = new S3Objects();

    static String sync(String... accounts) {
        return "{\"accounts\":[\"" + String.join("\",\"", accounts) + "\"],\"mode\":\"sync\"}";
    }

    /** Shaped like a JWT, unique per test. */
    static String token(String name) {
        return "eyJhbGciOiJSUzI1NiJ9." + name + "-" + Accounts.fresh() + ".c2lnbmF0dXJl";
    }

    void register(String account, String token) {
        Vault.register(account, token);
    }

    /** The account's state as stored. */
    String state(String account) {
        return data.text("state/btgpactual.cl/account=" + account + ".json").orElseThrow();
    }

    @Test
    void eachAccountIsAskedWithItsOwnTokenAndTheOthersWithTheKey() {
        String own = Accounts.fresh();
        String other = Accounts.fresh();
        String ownToken = token("own");
        register(own, ownToken);
        khipu.answer(own, Envelopes.ok("op-own", Envelopes.transaction("t1", "\"10\"", "a")));
        khipu.answer(other, Envelopes.ok("op-other", Envelopes.transaction("t2", "\"20\"", "b")));

        JsonPath result = Lambda.invoke(sync(own, other)).then().statusCode(200).extract().jsonPath();

        assertEquals(2, result.getInt("stored"), result.prettify());
        LoggedRequest ownRequest = khipu.requests(own).get(0);
        assertEquals("Bearer " + ownToken, ownRequest.getHeader("Authorization"));
        assertFalse(ownRequest.containsHeader("x-api-key"), "one credential per request, never both");
        LoggedRequest otherRequest = khipu.requests(other).get(0);
        assertEquals(FetchProfile.API_KEY, otherRequest.getHeader("x-api-key"));
        assertFalse(otherRequest.containsHeader("Authorization"));
    }

    @Test
    void aRevokedTokenFallsBackToTheDeploymentCredential() {
        String account = Accounts.fresh();
        register(account, token("short-lived"));
        Vault.tokens().revoke(account);
        khipu.answer(account, Envelopes.ok("op-back", Envelopes.transaction("t5", "\"50\"", "e")));

        Lambda.invoke(sync(account)).then().statusCode(200);

        assertEquals(FetchProfile.API_KEY, khipu.requests(account).get(0).getHeader("x-api-key"));
        assertFalse(khipu.requests(account).get(0).containsHeader("Authorization"));
    }

    @Test
    void aRejectedTokenParksItsAccountUntilANewOneIsRegisteredAndTheOthersAreFetched() {
        String revoked = Accounts.fresh();
        String fine = Accounts.fresh();
        String oldToken = token("revoked");
        String newToken = token("renewed");
        List<String> answers = new ArrayList<>();
        try (LogCapture logs = LogCapture.install()) {
            register(revoked, oldToken);
            khipu.stub(request(revoked, false).withHeader("Authorization", equalTo("Bearer " + oldToken))
                    .willReturn(json(401, "{\"message\":\"Unauthorized\"}")));
            khipu.stub(request(revoked, false).withHeader("Authorization", equalTo("Bearer " + newToken))
                    .willReturn(json(200, Envelopes.ok("op-renewed", Envelopes.transaction("t3", "\"30\"", "c")))));
            khipu.answer(fine, Envelopes.ok("op-fine", Envelopes.transaction("t4", "\"40\"", "d")));

            // the first run: Khipu rejects the token; the other account is fetched all the same
            String first = Lambda.invoke(sync(revoked, fine)).then().statusCode(200).extract().asString();
            answers.add(first);
            JsonPath r1 = JsonPath.from(first);
            assertEquals(1, r1.getInt("stored"), first);
            assertEquals(1, r1.getInt("failed"));
            assertEquals(1, r1.getInt("unauthorised"));
            assertEquals("TOKEN_REJECTED", r1.getString("accounts[0].errorCode"));
            assertEquals("STORED", r1.getString("accounts[1].outcome"));
            assertEquals(1, khipu.requests(revoked).size(), "a 401 for the account's own token is not retried");

            // later runs do not ask with the rejected token, and say why
            String second = Lambda.invoke(sync(revoked, fine)).then().statusCode(200).extract().asString();
            answers.add(second);
            JsonPath r2 = JsonPath.from(second);
            assertEquals("SKIPPED", r2.getString("accounts[0].outcome"), second);
            assertEquals("TOKEN_REJECTED", r2.getString("accounts[0].errorCode"));
            assertEquals(1, r2.getInt("unauthorised"));
            assertEquals(0, r2.getInt("notReached"), "a parked account is not one the run failed to reach");
            assertEquals(1, khipu.requests(revoked).size());
            assertTrue(state(revoked).contains("\"tokenRejectedAt\""), state(revoked));

            // a new token: the next run asks with it
            register(revoked, newToken);
            String third = Lambda.invoke(sync(revoked)).then().statusCode(200).extract().asString();
            answers.add(third);
            JsonPath r3 = JsonPath.from(third);
            assertEquals("STORED", r3.getString("accounts[0].outcome"), third);
            assertEquals(0, r3.getInt("unauthorised"));
            assertEquals("Bearer " + newToken, khipu.requests(revoked).get(1).getHeader("Authorization"));
            // the next run takes the stored answer into the state, which clears the rejection
            Lambda.invoke(sync(revoked)).then().statusCode(200);
            assertFalse(state(revoked).contains("\"tokenRejectedAt\""), "cleared by the stored result: " + state(revoked));

            // the tokens are where they belong, and nowhere else: not in the data, the answers or the logs
            assertTrue(S3Objects.credentials().all().values().stream().anyMatch(t -> t.contains(newToken)),
                    "the scan below looks where the tokens would show");
            for (String secret : List.of(oldToken, newToken)) {
                for (Map.Entry<String, String> object : data.all().entrySet()) {
                    assertFalse(object.getValue().contains(secret), object.getKey() + " holds an access token");
                }
                answers.forEach(a -> assertFalse(a.contains(secret), "an answer holds an access token"));
                logs.lines().forEach(line -> assertFalse(line.contains(secret), "a log line holds an access token: " + line));
            }
            assertTrue(logs.lines().stream().anyMatch(l -> l.contains("TOKEN_REJECTED")), "the rejection is logged");
            logs.lines().forEach(line -> assertFalse(line.contains(revoked), "a log line holds a full account number"));
        }
    }
}
