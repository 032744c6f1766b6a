package io.cartola.queue;

import java.util.List;

/** Where a planning run puts its accounts, one message each, for the workers. */
public interface AccountQueue {

    /** Sends the tasks (at most 10); returns those the queue did not take, with the reason. */
    List<Unsent> send(List<AccountTask> tasks);

    record Unsent(AccountTask task, String reason) {
    }
}
