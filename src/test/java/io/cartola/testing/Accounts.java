package io.cartola.testing;

import java.util.concurrent.ThreadLocalRandom;

/** Fresh account numbers, so tests sharing one Khipu stand-in and one bucket never see each other's data. */
public final class Accounts {

    private Accounts() {
    }

    public static String fresh() {
        return String.format("%012d", ThreadLocalRandom.current().nextLong(1_000_000_000_000L));
    }
}
