package io.cartola.records;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cartola.storage.ObjectStore;

/** Reads and updates {@link AccountState}s; every update is a conditional write, retried on contention. */
@ApplicationScoped
public class AccountStates {

    private final ObjectStore store;
    private final ObjectMapper mapper;
    private final Clock clock;

    public AccountStates(ObjectStore store, ObjectMapper mapper, Clock clock) {
        this.store = store;
        this.mapper = mapper;
        this.clock = clock;
    }

    static String key(String institution, String account) {
        return "state/" + institution + "/account=" + account + ".json";
    }

    /** The account's state, or a new one if cartola never asked for it. */
    public AccountState read(String institution, String account) {
        return decode(store.read(key(institution, account)))
                .orElseGet(() -> AccountState.initial(institution, account, clock.instant()));
    }

    /** Applies {@code change} to the current state and stores the result; returns what was stored. */
    public AccountState update(String institution, String account, UnaryOperator<AccountState> change) {
        String key = key(institution, account);
        AtomicReference<AccountState> written = new AtomicReference<>();
        Contention.retry("the state of account " + Accounts.mask(account), () -> {
            Optional<ObjectStore.Stored> current = store.read(key);
            AccountState before = decode(current).orElseGet(() -> AccountState.initial(institution, account, clock.instant()));
            AccountState after = change.apply(before);
            if (current.isPresent() && after.equals(before)) {
                written.set(after);
                return true;
            }
            if (store.replace(key, encode(after), OperationLog.JSON, current.map(ObjectStore.Stored::version).orElse(null))) {
                written.set(after);
                return true;
            }
            return false;
        });
        return written.get();
    }

    private Optional<AccountState> decode(Optional<ObjectStore.Stored> stored) {
        return stored.map(s -> {
            try {
                return mapper.readValue(s.bytes(), AccountState.class);
            } catch (IOException e) {
                throw new UncheckedIOException("the state object of an account is not readable", e);
            }
        });
    }

    private byte[] encode(AccountState state) {
        try {
            return mapper.writeValueAsBytes(state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
