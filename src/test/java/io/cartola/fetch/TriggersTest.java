package io.cartola.fetch;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.cartola.testing.Accounts;
import io.cartola.testing.Events;
import io.cartola.testing.FetchProfile;
import io.cartola.testing.KhipuStandIn;
import io.cartola.testing.Lambda;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Every way a user may wire fetch up, with the event documents exactly as AWS sends them: the
 * schedules' "Scheduled Event" fetches the configured accounts asynchronously; other AWS events sent
 * to fetch by mistake are refused, naming what was received and what is accepted, and nobody is called.
 */
@QuarkusTest
@TestProfile(TriggersTest.OwnAccounts.class)
public class TriggersTest {

    static final String ONE = Accounts.fresh();
    static final String TWO = Accounts.fresh();

    /** Accounts of this class alone, so counting Khipu's requests for them is exact. */
    public static class OwnAccounts extends FetchProfile {
        @Override
        protected Map<String, String> overrides() {
            return Map.of(
                    "cartola.accounts", ONE + "," + TWO);
        }
    }

    final KhipuStandIn khipu = KhipuStandIn.get();

    @ParameterizedTest
    @ValueSource(strings = { Events.RULE_SCHEDULED, Events.SCHEDULER_SCHEDULED })
    void aScheduledEventFetchesTheConfiguredAccountsAsynchronously(String document) {
        khipu.accept(ONE, "op-" + document + "-1");
        khipu.accept(TWO, "op-" + document + "-2");
        int before = khipu.requests(ONE).size();

        JsonPath result = Lambda.invoke(Events.load(document)).then().statusCode(200).extract().jsonPath();

        assertEquals("async", result.getString("mode"));
        assertEquals(2, result.getInt("accepted"), result.prettify());
        assertEquals(List.of("****" + ONE.substring(8), "****" + TWO.substring(8)), result.getList("accounts.account"));
        assertEquals(before + 1, khipu.requests(ONE).size());
    }

    @ParameterizedTest
    @CsvSource({
            Events.S3_PUT + ", an S3 event notification",
            Events.SQS_BATCH + ", an SQS message batch",
            Events.SNS + ", an SNS notification",
            Events.API_GATEWAY_REST + ", an HTTP request",
            Events.API_GATEWAY_HTTP + ", an HTTP request" })
    void anyOtherAwsEventIsRefusedAndNobodyIsCalled(String document, String named) {
        int before = khipu.requests(ONE).size() + khipu.requests(TWO).size();

        Lambda.invoke(Events.load(document)).then().statusCode(500)
                .body("errorMessage", containsString("event: " + named))
                .body("errorMessage", containsString("is not a fetch trigger"))
                .body("errorMessage", containsString("\"Scheduled Event\""))
                .body("errorMessage", containsString("{\"accounts\""));

        assertEquals(before, khipu.requests(ONE).size() + khipu.requests(TWO).size());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"version\":\"0\",\"id\":\"1\",\"detail-type\":\"Object Created\",\"source\":\"aws.s3\",\"account\":\"123456789012\",\"time\":\"2026-11-25T12:00:00Z\",\"region\":\"us-east-1\",\"resources\":[],\"detail\":{}}",
            "{\"version\":\"0\",\"id\":\"1\",\"detail-type\":\"Scheduled Event\",\"source\":\"my.app\",\"account\":\"123456789012\",\"time\":\"2026-11-25T12:00:00Z\",\"region\":\"us-east-1\",\"resources\":[],\"detail\":{}}" })
    void otherEventBridgeEventsAreRefused(String event) {
        int before = khipu.requests(ONE).size();

        Lambda.invoke(event).then().statusCode(500).body("errorMessage", containsString("is not a fetch trigger"));

        assertEquals(before, khipu.requests(ONE).size());
    }
}
