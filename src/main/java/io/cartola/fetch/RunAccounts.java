package io.cartola.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import io.cartola.config.CartolaConfig;
import io.cartola.fetch.FetchResult.AccountResult;
import io.cartola.records.Accounts;
import io.cartola.storage.ObjectStore;
import io.cartola.storage.StorageException;

/**
 * The accounts a run is for: the invocation's own list, else the configured one (the object named by
 * cartola.accounts.key, else cartola.accounts), and the rules both runs apply to them.
 */
@ApplicationScoped
public class RunAccounts {

    private final CartolaConfig config;
    private final ObjectStore store;

    public RunAccounts(CartolaConfig config, ObjectStore store) {
        this.config = config;
        this.store = store;
    }

    /** The configured list, handed to {@code each} as it is read (a stored list is never held whole); returns the problems. */
    List<String> configured(Consumer<String> each) {
        if (config.accountsKey().isPresent()) {
            String key = config.accountsKey().get();
            try (InputStream in = store.open(key).orElseThrow(() -> new InvalidInputException(
                    "cartola.accounts.key: no account list stored at " + key))) {
                return AccountList.read(in, key, each);
            } catch (IOException e) {
                throw new StorageException("could not read the account list " + key, e);
            }
        }
        AccountList list = AccountList.of(config.accounts().orElse(List.of()), "cartola.accounts");
        list.accounts().forEach(each);
        return list.problems();
    }

    /** The configured list, whole. */
    AccountList configured() {
        List<String> accounts = new ArrayList<>();
        List<String> problems = configured(accounts::add);
        return new AccountList(List.copyOf(accounts), problems);
    }

    /** An invocation's own list is refused whole when an entry is bad: its sender is there to fix it. */
    static AccountList given(List<String> accounts) {
        for (int i = 0; i < accounts.size(); i++) {
            String problem = Accounts.problem(accounts.get(i));
            if (problem != null) {
                throw new InvalidInputException("accounts[" + i + "]: " + problem);
            }
        }
        return new AccountList(List.copyOf(new LinkedHashSet<>(accounts)), List.of());
    }

    static InvalidInputException noAccounts(FetchInput in) {
        return new InvalidInputException(in.accounts() == null
                ? "cartola.accounts: no accounts configured (set cartola.accounts or cartola.accounts.key)"
                : "accounts: no accounts given");
    }

    int max() {
        return config.fetch().maxAccounts();
    }

    /** An account past cartola.fetch.max-accounts, reported as not reached. */
    AccountResult pastLimit(String account) {
        return AccountResult.skipped(Accounts.mask(account), null,
                "not asked: past cartola.fetch.max-accounts (" + max() + ") in one run", null);
    }
}
