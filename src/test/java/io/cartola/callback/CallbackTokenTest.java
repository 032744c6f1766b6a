package io.cartola.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        String nonce = tokens.newNonce();
        CallbackToken.Claims claims = tokens.verify(tokens.issue("000011887755", NOW.minusSeconds(60), nonce));
        assertEquals("000011887755", claims.account());
        assertEquals(NOW.minusSeconds(60), claims.issuedAt());
        assertEquals(nonce, claims.nonce());
    }

    @Test
    void everyPartIsCoveredByTheSignature() {
        String token = tokens.issue("000011887755", NOW, "AAAAAAAAAAAAAAAAAAAAAA");
        assertTrue(reason(token.replace("000011887755", "000011887756")).contains("signature invalid"));
        assertTrue(reason(token.replace("." + NOW.getEpochSecond() + ".", "." + (NOW.getEpochSecond() + 1) + "."))
                .contains("signature invalid"));
        assertTrue(reason(token.replace("AAAAAAAAAAAAAAAAAAAAAA", "BAAAAAAAAAAAAAAAAAAAAA")).contains("signature invalid"));
        String otherKey = new CallbackToken("another-secret-of-at-least-32-chars!", Duration.ofHours(24),
                Clock.fixed(NOW, ZoneOffset.UTC)).issue("000011887755", NOW, "AAAAAAAAAAAAAAAAAAAAAA");
        assertTrue(reason(otherKey).contains("signature invalid"));
    }

    @Test
    void ageAndShapeAreEnforced() {
        assertTrue(reason(tokens.issue("1", NOW.minus(Duration.ofHours(25)), tokens.newNonce())).contains("expired"));
        assertTrue(reason(tokens.issue("1", NOW.plus(Duration.ofMinutes(10)), tokens.newNonce())).contains("future"));
        assertTrue(reason(null).contains("missing"));
        assertTrue(reason("").contains("missing"));
        assertTrue(reason("a.b.c.d").contains("malformed"));
        assertTrue(reason("x".repeat(5000)).contains("malformed"));
    }

    @Test
    void theTokenIsUrlSafeAndShort() {
        String token = tokens.issue("12345678901234567890", NOW, tokens.newNonce());
        assertTrue(token.matches("[A-Za-z0-9._-]+"), token);
        assertTrue(token.length() < 110, "leaves room for the webhook URL within 255: " + token.length());
    }
}
