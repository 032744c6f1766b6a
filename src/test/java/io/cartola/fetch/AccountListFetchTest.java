package io.cartola.fetch;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;

import io.cartola.testing.Envelopes;
import io.cartola.testing.FetchProfile;
import io.cartola.testing.KhipuStandIn;
import io.cartola.testing.Lambda;
import io.cartola.testing.MotoServer;
import io.cartola.testing.S3Objects;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The configured list as an object in the bucket (cartola.accounts.key): 100,000 lines with bad ones
 * among them, and a safety limit of 50 accounts per run: the bad lines are reported by number, 50
 * accounts are asked, every other one is reported skipped, none silently dropped.
 */
@QuarkusTest
@TestProfile(AccountListFetchTest.ListInTheBucket.class)
class AccountListFetchTest {

    static final String KEY = "config/accounts-" + System.nanoTime() + ".txt";
    static final int LINES = 100_000;
    static final int LIMIT = 50;

    public static class ListInTheBucket extends FetchProfile {
        @Override
        protected Map<String, String> overrides() {
            return Map.of(
                    "cartola.accounts.key", KEY,
                    "cartola.fetch.max-accounts", String.valueOf(LIMIT));
        }
    }

    @Test
    void aHundredThousandLineListIsReadBadLinesReportedAndTheRestFetchedOrReported() {
        StringBuilder text = new StringBuilder("# accounts of the test\n");
        for (int i = 1; i < LINES; i++) {
            text.append(switch (i) {
                case 3 -> "   ";
                case 7 -> "L" + "9".repeat(20);
                case 9 -> "L123 456";
                case 11 -> String.format("L%011d", 1);
                default -> String.format("L%011d", i);
            }).append('\n');
        }
        try (var s3 = S3Objects.client(MotoServer.get().endpoint())) {
            s3.putObject(b -> b.bucket(MotoServer.BUCKET).key(KEY), RequestBody.fromString(text.toString()));
        }
        KhipuStandIn.get().stub(post(urlPathEqualTo(KhipuStandIn.PATH)).atPriority(10)
                .withRequestBody(matchingJsonPath("$.RequestData.AccountNumber", WireMock.matching("L[0-9]{11}")))
                .withRequestBody(notMatching(".*\"CallbackUrl\".*"))
                .willReturn(KhipuStandIn.json(200, Envelopes.ok("op-list", Envelopes.transactions(1, "l")))));

        JsonPath result = Lambda.invoke("{\"mode\":\"sync\"}").then().statusCode(200).extract().jsonPath();

        int valid = LINES - 1 - 1 - 3; // the comment, the blank line, three bad lines
        assertEquals(3, result.getInt("refused"));
        assertEquals(List.of(
                KEY + " line 8: at most 20 characters, got 21",
                KEY + " line 10: only letters, digits and '-' are allowed",
                KEY + " line 12: repeats ****0001 of line 2"), result.getList("problems"));
        assertEquals(LIMIT, result.getInt("stored"));
        assertEquals(valid - LIMIT, result.getInt("skipped"));
        assertEquals(valid - LIMIT, result.getInt("notReached"), "skipped for room, not because Khipu said to wait");
        assertEquals(FetchResult.MAX_LISTED, result.getList("accounts").size());
        assertEquals(valid - FetchResult.MAX_LISTED, result.getInt("unlisted"));
        assertTrue(result.getString("accounts[" + LIMIT + "].message").contains("cartola.fetch.max-accounts"));
        assertEquals("****0001", result.getString("accounts[0].account"));
        assertEquals("SKIPPED", result.getString("accounts[" + LIMIT + "].outcome"));
    }
}
