package io.cartola.credentials;

import java.time.Instant;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** An account's own Khipu access token, as kept in the credential store, and when it was registered. */
@RegisterForReflection
public record AccountToken(String accessToken, Instant registeredAt) {

    /** Without the token: a record's default toString would put it in any log line that prints one. */
    @Override
    public String toString() {
        return "AccountToken[registeredAt=" + registeredAt + "]";
    }
}
