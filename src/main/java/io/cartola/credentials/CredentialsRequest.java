package io.cartola.credentials;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the credentials function is asked: {@code register} (add or replace an account's access token),
 * {@code revoke} (delete it; the account then uses the deployment's credential) or {@code status}.
 */
@RegisterForReflection
public record CredentialsRequest(String action, String account, String accessToken) {

    /** Without the token, so that no log line can print it. */
    @Override
    public String toString() {
        return "CredentialsRequest[action=" + action + ", account=" + io.cartola.records.Accounts.mask(account) + "]";
    }
}
