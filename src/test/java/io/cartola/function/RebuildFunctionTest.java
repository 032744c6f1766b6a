package io.cartola.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;

import io.cartola.testing.Accounts;
import io.cartola.testing.Envelopes;
import io.cartola.testing.Lambda;
import io.cartola.testing.RebuildProfile;
import io.cartola.testing.S3Objects;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** The rebuild function invoked as Lambda invokes it: answers stored raw in S3 (moto) become the day's view. */
@QuarkusTest
@TestProfile(RebuildProfile.class)
public class RebuildFunctionTest {

    static final LocalDate DAY = LocalDate.of(2026, 11, 24);
    final S3Objects s3 = new S3Objects();

    void storeRaw(String account, String name, String envelope) {
        S3Objects.client().putObject(b -> b.bucket(io.cartola.testing.MotoServer.BUCKET)
                .key("raw/btgpactual.cl/account=" + account + "/date=" + DAY + "/" + name + ".json"),
                software.amazon.awssdk.core.sync.RequestBody.fromString(envelope, StandardCharsets.UTF_8));
    }

    @Test
    void rebuildsTheDayFromTheRawAnswersInRequestOrder() {
        String account = Accounts.fresh();
        // stored in the opposite order of their requests: the request time in the name decides
        storeRaw(account, "20261124T160000.000Z-second", Envelopes.ok("op-2", Envelopes.transactions(2, "r")));
        storeRaw(account, "20261124T130000.000Z-first", Envelopes.ok("op-1", Envelopes.transactions(3, "r")));
        storeRaw(account, "20261124T140000.000Z-error", Envelopes.error("op-e", "E201", "RETRY_IMMEDIATELY", "banco no disponible"));

        JsonPath result = Lambda.invoke("{\"from\":\"" + DAY + "\",\"accounts\":[\"" + account + "\"]}").then().statusCode(200)
                .extract().jsonPath();

        assertEquals(1, result.getInt("written"), result.prettify());
        assertEquals(3, result.getInt("answers"));
        assertFalse(result.prettify().contains(account), "no account number in the answer");
        String view = s3.view(account, DAY).orElseThrow();
        assertEquals(3, view.lines().count(), view);
        assertTrue(view.lines().anyMatch(l -> l.contains("\"TransactionId\":\"r2\"") && l.contains("\"RemovedAt\":\""
                + Instant.parse("2026-11-24T16:00:00Z") + "\"")), view);
        assertEquals(2, view.lines().filter(l -> l.contains("\"RemovedAt\":null")).count(), view);

        JsonPath again = Lambda.invoke("{\"from\":\"" + DAY + "\",\"accounts\":[\"" + account + "\"]}").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(0, again.getInt("written"));
        assertEquals(1, again.getInt("unchanged"));
    }

    @Test
    void badInputFailsTheInvocationNamingTheField() {
        String answer = Lambda.invoke("{\"from\":\"2026-11-24\",\"too\":\"2026-11-30\"}").then().extract().asString();
        assertTrue(answer.contains("unknown field \\\"too\\\"") || answer.contains("unknown field \"too\""), answer);
        String dates = Lambda.invoke("{\"from\":\"24/11/2026\"}").then().extract().asString();
        assertTrue(dates.contains("from: must be a date like 2026-11-01"), dates);
    }
}
