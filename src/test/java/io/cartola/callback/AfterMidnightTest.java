package io.cartola.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cartola.testing.Accounts;
import io.cartola.testing.Envelopes;
import io.cartola.testing.FunctionUrlEvent;
import io.cartola.testing.Lambda;
import io.cartola.testing.MotoServer;
import io.cartola.testing.S3Objects;
import io.cartola.testing.Tokens;
import io.cartola.testing.WebhookProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * A request made at 23:50 Santiago time whose callback arrives the next day: the snapshot belongs
 * to the day it was requested on. (Tokens live 48 hours here, so the test holds at any hour.)
 */
@QuarkusTest
@TestProfile(AfterMidnightTest.LongLivedTokens.class)
class AfterMidnightTest {

    public static class LongLivedTokens extends WebhookProfile {
        @Override
        protected Map<String, String> overrides() {
            return Map.of(
                    "cartola.callback.max-age", "PT48H");
        }
    }

    @Test
    void aCallbackAfterMidnightIsStoredUnderTheDayOfItsRequest() {
        ZoneId santiago = ZoneId.of("America/Santiago");
        LocalDate today = LocalDate.now(santiago);
        LocalDate yesterday = today.minusDays(1);
        Instant requested = today.atStartOfDay(santiago).toInstant().minus(Duration.ofMinutes(10));
        String account = Accounts.fresh();
        String token = Tokens.requested(account, requested);

        JsonPath response = Lambda.invoke(FunctionUrlEvent.post(token, Envelopes.ok("op-late-night", Envelopes.transactions(2, "n"))))
                .then().statusCode(200).extract().jsonPath();

        assertEquals(200, response.getInt("statusCode"), response.getString("body"));
        S3Objects s3 = new S3Objects();
        assertTrue(s3.raw(account, yesterday, token.split("\\.")[0]).isPresent());
        assertEquals(2, s3.view(account, yesterday)
                .orElseThrow().lines().count());
        assertTrue(s3.view(account, today).isEmpty());
    }
}
