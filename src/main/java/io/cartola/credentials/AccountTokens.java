package io.cartola.credentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cartola.config.CartolaConfig;
import io.cartola.records.Accounts;
import io.cartola.records.Contention;
import io.cartola.storage.CredentialStore;
import io.cartola.storage.ObjectStore;
import io.cartola.storage.StorageException;

/**
 * The accounts' own access tokens, one object per account at {@code {institution}/account={account}.json}
 * in the credential store. Replacing one overwrites it, revoking deletes it: nothing keeps an old token.
 */
@ApplicationScoped
public class AccountTokens {

    private final ObjectStore store;
    private final ObjectMapper mapper;
    private final String institution;

    @Inject
    public AccountTokens(@CredentialStore ObjectStore store, ObjectMapper mapper, CartolaConfig config) {
        this(store, mapper, config.khipu().institution());
    }

    public AccountTokens(ObjectStore store, ObjectMapper mapper, String institution) {
        this.store = store;
        this.mapper = mapper;
        this.institution = institution;
    }

    String key(String account) {
        return institution + "/account=" + account + ".json";
    }

    public Optional<AccountToken> find(String account) {
        return store.read(key(account)).map(stored -> {
            try {
                return mapper.readValue(stored.bytes(), AccountToken.class);
            } catch (IOException e) {
                // Jackson's message would quote the object: say only which one
                throw new StorageException("the stored access token of account " + Accounts.mask(account) + " is not readable", null);
            }
        });
    }

    /** Stores {@code accessToken} as the account's token, in place of any earlier one. */
    public AccountToken register(String account, String accessToken, Instant at) {
        AccountToken token = new AccountToken(accessToken, at);
        byte[] bytes = encode(token);
        String key = key(account);
        Contention.retry("the access token of account " + Accounts.mask(account), () -> store.replace(key, bytes,
                "application/json", store.read(key).map(ObjectStore.Stored::version).orElse(null)));
        return token;
    }

    /** Deletes the account's token; false if it had none. */
    public boolean revoke(String account) {
        boolean had = store.read(key(account)).isPresent();
        store.delete(key(account));
        return had;
    }

    private byte[] encode(AccountToken token) {
        try {
            return mapper.writeValueAsBytes(token);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
