package io.cartola.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class CallbackTokenTest {

    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    final CallbackToken tokens = new CallbackToken("a-secret-of-at-least-32-characters!!", Duration.ofHours(24),
            Clock.fixed(NOW, ZoneOffset.UTC));

    String reason(String token) {
        return assertThrows(CallbackRejectedException.class, () -> tokens.verify(token)).getMessage();
    }

    @Test
    void aTokenVerifiesToWhatItWasIssuedFor() {
        String requestId = tokens.newRequestId();
        CallbackToken.Claims claims = tokens.verify(tokens.issue(requestId, "000011887755", NOW.minusSeconds(60)));
        assertEquals(requestId, claims.requestId());
        assertEquals(NOW.minusSeconds(60), claims.issuedAt());
    }

    @Test
    void everyPartIsCoveredByTheSignature() {
        String token = tokens.issue("AAAAAAAAAAAAAAAAAAAAAA", "000011887755", NOW);
        assertTrue(reason(token.replace("AAAAAAAAAAAAAAAAAAAAAA", "BAAAAAAAAAAAAAAAAAAAAA")).contains("signature invalid"));
        assertTrue(reason(token.replace("." + NOW.toEpochMilli() + ".", "." + (NOW.toEpochMilli() + 1) + "."))
                .contains("signature invalid"));
        String otherKey = new CallbackToken("another-secret-of-at-least-32-chars!", Duration.ofHours(24),
                Clock.fixed(NOW, ZoneOffset.UTC)).issue("AAAAAAAAAAAAAAAAAAAAAA", "000011887755", NOW);
        assertTrue(reason(otherKey).contains("signature invalid"));
    }

    @Test
    void ageAndShapeAreEnforced() {
        assertTrue(reason(tokens.issue(tokens.newRequestId(), "000011887755", NOW.minus(Duration.ofHours(25)))).contains("expired"));
        assertTrue(reason(tokens.issue(tokens.newRequestId(), "000011887755", NOW.plus(Duration.ofMinutes(10)))).contains("future"));
        assertTrue(reason(null).contains("missing"));
        assertTrue(reason("").contains("missing"));
        assertTrue(reason("a.b.c.d").contains("malformed"));
        assertTrue(reason("000011887755." + NOW.getEpochSecond() + ".AAAAAAAAAAAAAAAAAAAAAA." + "A".repeat(43))
                .contains("malformed"), "the old form, with an account number, is no longer accepted");
        assertTrue(reason("x".repeat(5000)).contains("malformed"));
    }

    @Test
    void theTokenIsUrlSafeShortAndOpaque() {
        String requestId = tokens.newRequestId();
        String longest = "9".repeat(20);
        String token = tokens.issue(requestId, longest, NOW);
        assertTrue(token.matches("[A-Za-z0-9._-]+"), token);
        // a Function URL is about 75 characters (https://<32>.lambda-url.<region>.on.aws/), then "?t="
        assertTrue(token.length() <= 110, "leaves room for the webhook URL within 255: " + token.length());
        assertTrue(token.startsWith(requestId + "." + NOW.toEpochMilli() + "."), token);
        assertFalse(token.contains("999"), "the account travels encrypted: " + token);
        assertEquals(longest, tokens.verify(token).account());
    }

    @Test
    void theAccountIsCoveredByTheSignatureAndEncryptedPerRequest() {
        String token = tokens.issue("AAAAAAAAAAAAAAAAAAAAAA", "000011887755", NOW);
        String[] parts = token.split("\\.");
        String flipped = (parts[2].charAt(0) == 'A' ? "B" : "A") + parts[2].substring(1);
        assertTrue(reason(parts[0] + "." + parts[1] + "." + flipped + "." + parts[3]).contains("signature invalid"));
        String other = tokens.issue("BAAAAAAAAAAAAAAAAAAAAA", "000011887755", NOW);
        assertNotEquals(parts[2], other.split("\\.")[2], "the same account looks different in each request's token");
        assertEquals("000011887755", tokens.verify(other).account());
    }

    @Test
    void theReadmeGivesTheLongestToken() throws Exception {
        // a 20-character account (the longest), a request time with 13 digits of milliseconds (until the year 2286)
        String longest = tokens.issue(tokens.newRequestId(), "9".repeat(io.cartola.records.Accounts.MAX_LENGTH),
                java.time.Instant.ofEpochMilli(9_999_999_999_999L));
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md")).replaceAll("\\s+", " ");
        org.junit.jupiter.api.Assertions.assertTrue(readme.contains("(at most " + longest.length() + " characters"),
                "README says the token's longest length, " + longest.length());
    }
}
