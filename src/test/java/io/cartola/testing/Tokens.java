package io.cartola.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import io.cartola.callback.CallbackToken;
import io.cartola.records.AccountRequest;
import io.cartola.records.Mode;

/**
 * Signs callback tokens as fetch does, with the key the test applications are given. Nothing needs to be
 * recorded first: the token carries the request's id, its time and its account (encrypted).
 */
public final class Tokens {

    public static final ZoneId ZONE = ZoneId.of("America/Santiago");

    private Tokens() {
    }

    public static CallbackToken signer() {
        return new CallbackToken(FetchProfile.CALLBACK_SECRET, Duration.ofHours(24), Clock.systemUTC());
    }

    /** A token for a request for {@code account} made now. */
    public static String requested(String account) {
        return requested(account, Instant.now());
    }

    public static String requested(String account, Instant at) {
        return requested(signer(), account, at);
    }

    public static String requested(CallbackToken tokens, String account, Instant at) {
        return tokens.issue(tokens.newRequestId(), account, at);
    }

    /** The request a token names (for finding what the webhook stored for it). */
    public static AccountRequest request(String token) {
        CallbackToken.Claims claims = signer().verify(token);
        return new AccountRequest("btgpactual.cl", claims.account(), claims.requestId(), claims.issuedAt(),
                AccountRequest.dayOf(claims.issuedAt(), ZONE), Mode.async);
    }
}
