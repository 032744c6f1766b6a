package io.cartola.credentials;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The credentials function's answer; it never carries the token.
 *
 * @param account the masked account number
 * @param hasToken whether the account now has a token of its own
 * @param registeredAt when its token was registered
 * @param rejectedAt when Khipu rejected that token (a request of that time got 401); fetch skips it until a new one
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CredentialsAnswer(String account, String action, boolean hasToken, Instant registeredAt, Instant rejectedAt,
        String message) {
}
