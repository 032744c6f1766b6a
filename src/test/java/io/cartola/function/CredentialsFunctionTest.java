package io.cartola.function;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cartola.testing.Accounts;
import io.cartola.testing.FetchProfile;
import io.cartola.testing.Lambda;
import io.cartola.testing.S3Objects;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** The credentials function invoked as {@code aws lambda invoke} does, storing into moto's credential bucket. */
@QuarkusTest
@TestProfile(CredentialsFunctionTest.Profile.class)
public class CredentialsFunctionTest {

    public static class Profile extends FetchProfile {
        @Override
        protected String export() {
            return "credentials";
        }
    }

    final S3Objects vault = S3Objects.credentials();
    final S3Objects data = new S3Objects();

    static String request(String action, String account, String token) {
        return "{\"action\":\"" + action + "\",\"account\":\"" + account + "\""
                + (token == null ? "" : ",\"accessToken\":\"" + token + "\"") + "}";
    }

    static String key(String account) {
        return "btgpactual.cl/account=" + account + ".json";
    }

    @Test
    void registerReplaceStatusAndRevoke() {
        String account = Accounts.fresh();
        String first = "eyJhbGciOiJSUzI1NiJ9.first-" + account + ".c2ln";
        String second = "opaque-access-token-second-" + account;

        String registered = Lambda.invoke(request("register", account, first)).then().statusCode(200).extract().asString();
        JsonPath r1 = JsonPath.from(registered);
        assertEquals("****" + account.substring(8), r1.getString("account"));
        assertTrue(r1.getBoolean("hasToken"));
        assertFalse(registered.contains(first), "the answer never carries the token");
        assertFalse(registered.contains(account), "nor the full account number");
        assertTrue(vault.text(key(account)).orElseThrow().contains(first));

        Lambda.invoke(request("register", account, "  " + second + "\\n")).then().statusCode(200);
        String stored = vault.text(key(account)).orElseThrow();
        assertTrue(stored.contains("\"" + second + "\""), "replaced, surrounding blanks dropped: " + stored.length());
        assertFalse(stored.contains(first), "the old token is gone");
        Instant replacedAt = Instant.parse(JsonPath.from(Lambda.invoke(request("status", account, null)).then().statusCode(200)
                .extract().asString()).getString("registeredAt"));
        assertTrue(replacedAt.isAfter(Instant.parse(r1.getString("registeredAt"))));

        Lambda.invoke(request("revoke", account, null)).then().statusCode(200)
                .body("hasToken", org.hamcrest.Matchers.is(false)).body("message", containsString("revoked"));
        assertTrue(vault.text(key(account)).isEmpty());
        Lambda.invoke(request("status", account, null)).then().statusCode(200)
                .body("hasToken", org.hamcrest.Matchers.is(false))
                .body("message", containsString("uses the deployment's credential"));
        Lambda.invoke(request("revoke", account, null)).then().statusCode(200).body("message", containsString("nothing changed"));

        data.all().forEach((k, text) -> assertFalse(text.contains(second) || text.contains(first), k + " holds a token"));
    }

    @Test
    void badRequestsNameTheFieldAndStoreNothing() {
        String account = Accounts.fresh();
        String token = "a-valid-looking-token-" + account;
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put(request("register", "", token), "account: account number required");
        refused.put(request("register", "../../etc", token), "account: only letters, digits and '-'");
        refused.put(request("register", "0".repeat(21), token), "account: at most 20 characters");
        refused.put(request("renew", account, token), "action: must be register, revoke or status, got something else");
        refused.put(request(token, account, null), "action: must be register, revoke or status, got something else");
        refused.put("{\"action\":\"register\",\"account\":\"" + account + "\",\"accessToken\":" + token + "}",
                "body: not valid JSON at line 1");
        refused.put("{\"action\":\"register\",\"account\":\"" + account + "\",\"accessToken\":\"" + token,
                "body: not valid JSON");
        refused.put("{\"account\":\"" + account + "\"}", "action: must be register, revoke or status, got nothing");
        refused.put(request("register", account, null), "accessToken: required for register");
        refused.put(request("register", account, "Bearer " + token), "without the 'Bearer ' prefix");
        refused.put(request("register", account, "too-short"), "accessToken: between 16 and 8192 characters, got 9");
        refused.put(request("register", account, "two words " + token), "accessToken: only visible ASCII characters");
        refused.put(request("register", account, "x".repeat(8193)), "accessToken: between 16 and 8192 characters, got 8193");
        refused.put(request("revoke", account, token), "accessToken: only for register, not for revoke");
        refused.put("null", "body: expected {\"action\"");
        // a bare token as the whole payload: Lambda's own reading of it fails, and must not quote it either
        refused.put(token, "");
        refused.put("\"" + token + "\"", "");
        for (Map.Entry<String, String> e : refused.entrySet()) {
            Lambda.invoke(e.getKey()).then().statusCode(500)
                    .body("errorMessage", containsString(e.getValue()))
                    .body("errorMessage", not(containsString(token)))
                    .body("errorMessage", not(containsString(token.substring(0, 12))));
        }
        assertTrue(vault.keys("btgpactual.cl/account=" + account).isEmpty(), "nothing stored");
    }
}
