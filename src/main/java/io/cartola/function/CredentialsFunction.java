package io.cartola.function;

import jakarta.inject.Inject;

import io.cartola.credentials.CredentialsAnswer;
import io.cartola.credentials.CredentialsRequest;
import io.cartola.credentials.CredentialsService;
import io.quarkus.funqy.Funq;

/**
 * Lambda entry point for registering an account's own Khipu access token (invoked with
 * {@code aws lambda invoke}, IAM-authorised; it has no URL). Bad input fails the invocation with a
 * message naming the field and the rule; the answer never contains the token.
 */
public class CredentialsFunction {

    @Inject
    CredentialsService credentials;

    @Funq("credentials")
    public CredentialsAnswer credentials(CredentialsRequest request) {
        return credentials.handle(request);
    }
}
