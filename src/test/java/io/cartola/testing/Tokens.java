package io.cartola.testing;

import java.time.Clock;
import java.time.Duration;

import io.cartola.callback.CallbackToken;

/** Signs callback tokens as fetch does, with the key the test applications are given. */
public final class Tokens {

    private Tokens() {
    }

    public static CallbackToken signer() {
        return new CallbackToken(FetchProfile.CALLBACK_SECRET, Duration.ofHours(24), Clock.systemUTC());
    }
}
