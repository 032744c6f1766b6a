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
        return readVersion(institution, account).state();
    }

    /** A state as read, with the version a conditional write of it must find ({@code null}: not stored yet). */
    public record Read(AccountState state, String version) {
    }

    /** The account's state with its version, for an {@link #update} that follows a decision made on it. */
    public Read readVersion(String institution, String account) {
        Optional<ObjectStore.Stored> current = store.read(key(institution, account));
        return new Read(decode(current).orElseGet(() -> AccountState.initial(institution, account, clock.instant())),
                current.map(ObjectStore.Stored::version).orElse(null));
    }

    /** Applies {@code change} to the current state and stores the result; returns what was stored. */
    public AccountState update(String institution, String account, UnaryOperator<AccountState> change) {
        return update(institution, account, null, change);
    }

    /**
     * As {@link #update(String, String, UnaryOperator)}, trying first on {@code known} (read just before: one read
     * fewer when nobody wrote meanwhile; if somebody did, the conditional write fails and the state is read again).
     */
    public AccountState update(String institution, String account, Read known, UnaryOperator<AccountState> change) {
        AtomicReference<Read> next = new AtomicReference<>(known);
        AtomicReference<AccountState> written = new AtomicReference<>();
        Contention.retry("the state of account " + Accounts.mask(account), () -> {
            Read current = next.getAndSet(null);
            if (current == null) {
                current = readVersion(institution, account);
            }
            AccountState after = change.apply(current.state());
            if ((current.version() == null || !after.equals(current.state()))
                    && !store.replace(key(institution, account), encode(after), OperationLog.JSON, current.version())) {
                return false;
            }
            written.set(after);
            return true;
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
